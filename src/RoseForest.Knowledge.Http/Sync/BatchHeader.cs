using System.Text.Json;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>The outcome of applying a batch: changes that altered the state, the receiver's checkpoint after it, records left in conflict.</summary>
/// <param name="Applied">Records (or deltas) that changed something.</param>
/// <param name="Checkpoint">The receiver's checkpoint for the batch's source afterwards.</param>
/// <param name="Conflicts">Records the batch left holding concurrent versions.</param>
internal sealed record ApplyOutcome(int Applied, long Checkpoint, int Conflicts);

/// <summary>
/// The envelope of a changes batch (docs/api.md, "Sync"): who sent it, the reader's checkpoint key,
/// the checkpoint it was read after, the sequence its end stands for, the sender's newest sequence.
/// </summary>
/// <param name="Source">The node whose feed it is.</param>
/// <param name="Key">The checkpoint key (empty, or the filter's hash for selective sync).</param>
/// <param name="Since">The checkpoint the batch was read after.</param>
/// <param name="End">The sequence the receiver's checkpoint moves to once the batch is applied.</param>
/// <param name="LastSequence">The sender's newest sequence when the batch was read.</param>
/// <param name="HasMore">True when changes remain after <paramref name="End"/>.</param>
/// <param name="Count">The number of changes in the batch.</param>
internal sealed record BatchHeader(string Source, string Key, long Since, long End, long LastSequence, bool HasMore, int Count)
{
    /// <summary>
    /// Against the receiver's checkpoint for this source: true when everything in the batch is
    /// already applied (a repeat: nothing to do); throws when the batch starts past the checkpoint
    /// (applying it would skip changes).
    /// </summary>
    public bool IsAppliedAt(long checkpoint)
    {
        if (Since > checkpoint)
        {
            throw new ValidationException("since", $"the batch from {Source} starts after {Since}, but this node has applied only through {checkpoint}: read again from {checkpoint}.");
        }

        return End <= checkpoint;
    }

    /// <summary>Opens a batch: the envelope's first fields and the <c>changes</c> array.</summary>
    public static void WriteStart(Utf8JsonWriter w, string source, string? collection, string key, long since)
    {
        w.WriteStartObject();
        w.WriteString("source", source);
        if (collection is not null)
        {
            w.WriteString("collection", collection);
        }

        w.WriteString("key", key);
        w.WriteNumber("since", since);
        w.WriteStartArray("changes");
    }

    /// <summary>Closes a batch opened by <see cref="WriteStart"/>.</summary>
    public static void WriteEnd(Utf8JsonWriter w, long end, long lastSequence)
    {
        w.WriteEndArray();
        w.WriteNumber("end", end);
        w.WriteNumber("last_sequence", lastSequence);
        w.WriteBoolean("has_more", end < lastSequence);
        w.WriteEndObject();
    }

    public static BatchHeader Read(JsonElement batch)
    {
        if (batch.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException("batch", "must be a JSON object.");
        }

        var source = String(batch, "source");
        if (source.Length == 0)
        {
            throw new ValidationException("source", "must not be empty.");
        }

        var since = Number(batch, "since");
        var end = Number(batch, "end");
        if (since < 0 || end < since)
        {
            throw new ValidationException("end", $"must be at least since ({since}), got {end}.");
        }

        var count = batch.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array ? changes.GetArrayLength() : 0;
        var hasMore = batch.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        var key = batch.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : string.Empty;
        return new BatchHeader(source, key, since, end, Number(batch, "last_sequence"), hasMore, count);
    }

    private static string String(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ValidationException(name, "is required: a string.");

    private static long Number(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new ValidationException(name, "is required: an integer.");
}
