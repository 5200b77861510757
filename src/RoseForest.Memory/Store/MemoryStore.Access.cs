using System.Collections.Concurrent;
using System.Text.Json;

namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    private readonly ConcurrentDictionary<Guid, AccessDelta> _access = new();

    /// <summary>Writes the access counts gathered since the last flush to the collection now.</summary>
    public async Task FlushAccessAsync(CancellationToken cancellationToken = default)
    {
        if (_access.IsEmpty || _collection is not { } collection)
        {
            return;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var id in _access.Keys.ToArray())
            {
                if (!_access.TryRemove(id, out var delta))
                {
                    continue;
                }

                try
                {
                    var records = await collection.GetAsync([id], PayloadSelector.Include("access_count"), cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (records.Count == 0)
                    {
                        continue; // deleted meanwhile
                    }

                    var stored = records[0].Payload is { } p && p.TryGetProperty("access_count", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0;
                    var patch = JsonSerializer.SerializeToElement(new Dictionary<string, long> { ["access_count"] = stored + delta.Count, ["last_accessed_at"] = delta.Last });
                    await collection.SetPayloadAsync(PointSelector.ById([id]), patch, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    _access.AddOrUpdate(id, delta, (_, newer) => new AccessDelta(newer.Count + delta.Count, Math.Max(newer.Last, delta.Last)));
                    throw;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void RecordAccess(IEnumerable<Guid> ids, long now)
    {
        foreach (var id in ids)
        {
            _access.AddOrUpdate(id, new AccessDelta(1, now), (_, d) => new AccessDelta(d.Count + 1, Math.Max(d.Last, now)));
        }
    }

    private long PendingAccess(Guid id) => _access.TryGetValue(id, out var d) ? d.Count : 0;

    private void ForgetAccess(Guid id) => _access.TryRemove(id, out _);

    private async Task FlushAccessInBackgroundAsync()
    {
        try
        {
            await FlushAccessAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RoseForestException or IOException or HttpRequestException or ObjectDisposedException)
        {
            LogFlushFailed(_log, e);
        }
    }

    private readonly record struct AccessDelta(long Count, long Last);
}
