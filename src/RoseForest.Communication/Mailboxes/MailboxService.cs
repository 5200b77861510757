using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Limits;

namespace RoseForest.Communication.Mailboxes;

/// <summary>
/// Durable mailboxes. Each namespace keeps its models' messages in the collection
/// <c>_hvs_mail__&lt;namespace&gt;</c>, one point per message (the body verbatim in the payload,
/// the text's embedding or the sender's vector as the named vector <c>text</c>); the delivery
/// state (leases) lives in memory, rebuilt from the collection at open.
/// <para>Semantics: a send is acknowledged once the message is durable. Delivery is at least once:
/// a received message is leased for its visibility timeout and handed out again if not acked by
/// then (or after a restart). An ack is durable before it is answered and takes effect exactly
/// once: the body is deleted and a tombstone kept for the retention, so the message is never
/// delivered again, a repeated ack answers <see cref="AckOutcome.AlreadyAcked"/>, and a retried
/// send with the same idempotency key is recognized. A sender's messages are handed out in the
/// order they were accepted, and none is handed out while an earlier one from the same sender is
/// leased and unacknowledged.</para>
/// </summary>
internal sealed partial class MailboxService(IVectorDatabase database, CommunicationOptions options, StorageLedger ledger) : IAsyncDisposable
{
    public const string CollectionPrefix = "_hvs_mail__";
    public const string VectorName = "text";

    private readonly ConcurrentDictionary<string, Mailbox> _boxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IVectorCollection> _collections = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = options.TimeProvider;
    private long _sequence;
    private ITimer? _sweeper;
    private Func<Task<int>> _dimension = () => Task.FromResult(0);

    public static string CollectionFor(string ns) => CollectionPrefix + ns;

    public async Task OpenAsync(Func<Task<int>> dimension, CancellationToken ct)
    {
        _dimension = dimension;
        foreach (var name in await database.ListCollectionsAsync(ct).ConfigureAwait(false))
        {
            if (!name.StartsWith(CollectionPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var ns = name[CollectionPrefix.Length..];
            var collection = database.GetCollection(name);
            _collections[ns] = collection;
            await foreach (var record in Store.ScrollAllAsync(collection, ct).ConfigureAwait(false))
            {
                if (record.Payload is { } p)
                {
                    Restore(record.Id, ns, p);
                }
            }
        }

        _sweeper = _time.CreateTimer(_ => _ = SweepSafelyAsync(), null, options.SweepInterval, options.SweepInterval);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sweeper is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Restore(PointId id, string ns, JsonElement p)
    {
        var guid = Guid.Parse(id.ToString());
        var to = p.GetProperty("to").GetString()!;
        var seq = p.GetProperty("seq").GetInt64();
        var entry = new MailEntry(guid, ns, p.GetProperty("from").GetString()!, seq, ReadTime(p, "expires_at"), p.TryGetProperty("bytes", out var b) ? b.GetInt64() : 0);
        entry.State = p.GetProperty("kind").GetString() == "tombstone" ? MailState.Acked : MailState.Ready;
        entry.Canceled = p.TryGetProperty("canceled_at", out _);
        var box = Box(to);
        lock (box.Gate)
        {
            box.Add(entry);
        }

        if (entry.State == MailState.Ready)
        {
            ledger.Add(entry.From, entry.Bytes);
        }

        InterlockedMax(ref _sequence, seq);
    }

    private static DateTimeOffset ReadTime(JsonElement p, string name) => DateTimeOffset.Parse(p.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private Mailbox Box(string model) => _boxes.GetOrAdd(model, _ => new Mailbox());

    private async Task<IVectorCollection> CollectionAsync(string ns, CancellationToken ct)
    {
        if (_collections.TryGetValue(ns, out var c))
        {
            return c;
        }

        var options1 = new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams> { [VectorName] = new() { Size = await _dimension().ConfigureAwait(false), Distance = Geometry.Cosine } },
            Durability = options.Durability,
        };
        c = await Store.OpenAsync(database, CollectionFor(ns), ct, options1).ConfigureAwait(false);
        return _collections.GetOrAdd(ns, c);
    }

    internal static JsonElement Filter(string to) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["must"] = new JsonArray(
            new JsonObject { ["key"] = "to", ["match"] = new JsonObject { ["value"] = to } },
            new JsonObject { ["key"] = "kind", ["match"] = new JsonObject { ["value"] = "message" } }),
    });
}
