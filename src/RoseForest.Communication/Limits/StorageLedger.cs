using System.Collections.Concurrent;

namespace RoseForest.Communication.Limits;

/// <summary>
/// Bytes each model has stored through communication (messages waiting in mailboxes, shared-space
/// contributions), checked against its contract's <c>max_storage_mb</c> before a write.
/// </summary>
internal sealed class StorageLedger(Func<string, double?> quotaMb)
{
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);

    public long Used(string model) => _used.TryGetValue(model, out var v) ? v : 0;

    /// <summary>Adds bytes (negative to release) without a check.</summary>
    public void Add(string model, long bytes) => _used.AddOrUpdate(model, bytes, (_, v) => v + bytes);

    /// <summary>Adds bytes, or throws <see cref="PayloadTooLargeException"/> when the model's quota would be passed.</summary>
    public void Reserve(string model, long bytes)
    {
        if (quotaMb(model) is not { } quota)
        {
            Add(model, bytes);
            return;
        }

        var limit = (long)(quota * 1024 * 1024);
        while (true)
        {
            var used = Used(model);
            if (used + bytes > limit)
            {
                throw new PayloadTooLargeException($"model '{model}' would store {used + bytes} bytes, over its max_storage_mb ({quota}).");
            }

            if (_used.TryUpdate(model, used + bytes, used) || (used == 0 && _used.TryAdd(model, bytes)))
            {
                return;
            }
        }
    }
}
