using System.Text.Json;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// The JSON form of a state or delta, for shipping between nodes and for durable storage
/// (docs/knowledge.md, "Wire form of a state"). Reading checks everything a peer could get wrong:
/// dots start at 1, every entry's dot is in the context and appears once, stamps are the writer's,
/// votes are well formed and filed under their voter and package.
/// </summary>
public sealed partial class ReplicaState
{
    /// <summary>Writes the state as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("records");
        foreach (var (id, record) in _records)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteStartArray("fields");
            foreach (var e in record.Fields.Ordered())
            {
                WriteEntryStart(w, e.Dot, e.Key, e.Stamp);
                w.WriteString("v", e.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("tags");
            foreach (var e in record.Tags.Ordered())
            {
                WriteEntryStart(w, e.Dot, e.Key, e.Stamp);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("votes");
            foreach (var e in record.Votes.Ordered())
            {
                WriteEntryStart(w, e.Dot, e.Key, e.Stamp);
                var vote = e.Value.Vote;
                w.WriteString("vote", vote.Kind == VoteKind.Upvote ? "upvote" : "downvote");
                w.WriteNumber("confidence", vote.Confidence);
                if (vote.Reason is not null)
                {
                    w.WriteString("reason", vote.Reason);
                }

                w.WriteString("sig", e.Value.Signature);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("tombstones");
        foreach (var e in _tombstones.Ordered())
        {
            WriteEntryStart(w, e.Dot, e.Key, e.Stamp);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("context");
        w.WriteStartObject("vector");
        foreach (var (origin, max) in _context.Vector)
        {
            w.WriteNumber(origin, max);
        }

        w.WriteEndObject();
        w.WriteStartArray("cloud");
        foreach (var dot in _context.Cloud)
        {
            w.WriteStartArray();
            w.WriteStringValue(dot.Origin);
            w.WriteNumberValue(dot.Seq);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The state as UTF-8 JSON bytes.</summary>
    public byte[] ToJsonBytes()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteJson(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a state written by <see cref="WriteJson"/>; throws <see cref="KnowledgeValidationException"/> naming the first bad field.</summary>
    public static ReplicaState ReadJson(JsonElement e)
    {
        var state = new ReplicaState();
        var seen = new HashSet<Dot>();
        var context = Property(e, "context", JsonValueKind.Object, "$");
        foreach (var p in Property(context, "vector", JsonValueKind.Object, "context").EnumerateObject())
        {
            var max = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var m) && m >= 0 ? m
                : throw new KnowledgeValidationException($"context.vector.{p.Name}", "must be a non-negative integer");
            RequireOrigin(p.Name, "context.vector");
            state._context.AddContiguous(p.Name, max);
        }

        var i = 0;
        foreach (var d in Property(context, "cloud", JsonValueKind.Array, "context").EnumerateArray())
        {
            state._context.Add(ReadDot(d, $"context.cloud[{i++}]"));
        }

        i = 0;
        foreach (var r in Property(e, "records", JsonValueKind.Array, "$").EnumerateArray())
        {
            var path = $"records[{i++}]";
            var id = Text(r, "id", path);
            var record = new RecordState();
            var j = 0;
            foreach (var f in Property(r, "fields", JsonValueKind.Array, path).EnumerateArray())
            {
                var at = $"{path}.fields[{j++}]";
                var (dot, key, stamp) = ReadEntry(f, at, state, seen, stampIsWriter: true);
                record.Fields.Add(new KernelEntry<string, string>(dot, key, Text(f, "v", at), stamp));
            }

            j = 0;
            foreach (var t in Property(r, "tags", JsonValueKind.Array, path).EnumerateArray())
            {
                var (dot, key, stamp) = ReadEntry(t, $"{path}.tags[{j++}]", state, seen, stampIsWriter: true);
                record.Tags.Add(new KernelEntry<string, bool>(dot, key, true, stamp));
            }

            j = 0;
            foreach (var v in Property(r, "votes", JsonValueKind.Array, path).EnumerateArray())
            {
                var at = $"{path}.votes[{j++}]";
                var (dot, voter, stamp) = ReadEntry(v, at, state, seen, stampIsWriter: false);
                var kind = Text(v, "vote", at) switch
                {
                    "upvote" => VoteKind.Upvote,
                    "downvote" => VoteKind.Downvote,
                    _ => throw new KnowledgeValidationException($"{at}.vote", "must be upvote or downvote"),
                };
                var confidence = Property(v, "confidence", JsonValueKind.Number, at).GetDouble();
                string? reason = v.TryGetProperty("reason", out var rs) && rs.ValueKind == JsonValueKind.String ? rs.GetString() : null;
                var vote = new KnowledgeVote(id, voter, kind, confidence, reason, stamp);
                try
                {
                    vote.Validate();
                }
                catch (KnowledgeValidationException x)
                {
                    throw new KnowledgeValidationException($"{at}.{x.Field}", x.Reason, x);
                }

                record.Votes.Add(new KernelEntry<string, SignedVote>(dot, voter, new SignedVote(vote, Text(v, "sig", at, allowEmpty: true)), stamp));
            }

            if (!record.IsEmpty)
            {
                if (!state._records.TryAdd(id, record))
                {
                    throw new KnowledgeValidationException($"{path}.id", $"record {id} appears twice");
                }
            }
        }

        i = 0;
        foreach (var t in Property(e, "tombstones", JsonValueKind.Array, "$").EnumerateArray())
        {
            var (dot, key, stamp) = ReadEntry(t, $"tombstones[{i++}]", state, seen, stampIsWriter: true);
            state._tombstones.Add(new KernelEntry<string, bool>(dot, key, true, stamp));
        }

        return state;
    }

    /// <summary>Reads a state from UTF-8 JSON bytes.</summary>
    public static ReplicaState FromJsonBytes(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return ReadJson(document.RootElement);
        }
        catch (JsonException x)
        {
            throw new KnowledgeValidationException("$", $"malformed JSON: {x.Message}", x);
        }
    }

    private static void WriteEntryStart(Utf8JsonWriter w, Dot dot, string key, HlcTimestamp stamp)
    {
        w.WriteStartObject();
        w.WriteString("o", dot.Origin);
        w.WriteNumber("s", dot.Seq);
        w.WriteString("k", key);
        w.WriteStartArray("t");
        w.WriteNumberValue(stamp.Physical);
        w.WriteNumberValue(stamp.Logical);
        w.WriteStringValue(stamp.Node);
        w.WriteEndArray();
    }

    private static (Dot Dot, string Key, HlcTimestamp Stamp) ReadEntry(JsonElement e, string path, ReplicaState state, HashSet<Dot> seen, bool stampIsWriter)
    {
        var origin = Text(e, "o", path);
        RequireOrigin(origin, path + ".o");
        var seq = Property(e, "s", JsonValueKind.Number, path).TryGetInt64(out var s) && s >= 1 ? s
            : throw new KnowledgeValidationException($"{path}.s", "must be an integer >= 1");
        var dot = new Dot(origin, seq);
        if (!state._context.Contains(dot))
        {
            throw new KnowledgeValidationException(path, $"dot {dot} is not in the state's context");
        }

        if (!seen.Add(dot))
        {
            throw new KnowledgeValidationException(path, $"dot {dot} appears twice");
        }

        var t = Property(e, "t", JsonValueKind.Array, path);
        if (t.GetArrayLength() != 3 || !t[0].TryGetInt64(out var physical) || !t[1].TryGetInt32(out var logical) || t[2].ValueKind != JsonValueKind.String)
        {
            throw new KnowledgeValidationException($"{path}.t", "must be [physical ms, logical, node]");
        }

        var stamp = new HlcTimestamp(physical, logical, t[2].GetString()!);
        if (stampIsWriter && stamp.Node != origin)
        {
            throw new KnowledgeValidationException($"{path}.t", "the stamp's node must be the dot's origin");
        }

        return (dot, Text(e, "k", path), stamp);
    }

    private static Dot ReadDot(JsonElement d, string path)
    {
        if (d.ValueKind != JsonValueKind.Array || d.GetArrayLength() != 2 || d[0].ValueKind != JsonValueKind.String
            || !d[1].TryGetInt64(out var seq) || seq < 1)
        {
            throw new KnowledgeValidationException(path, "must be [origin, seq >= 1]");
        }

        RequireOrigin(d[0].GetString()!, path);
        return new Dot(d[0].GetString()!, seq);
    }

    private static void RequireOrigin(string origin, string path)
    {
        if (string.IsNullOrEmpty(origin))
        {
            throw new KnowledgeValidationException(path, "an origin must not be empty");
        }
    }

    private static JsonElement Property(JsonElement e, string name, JsonValueKind kind, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new KnowledgeValidationException(path, "must be an object");
        }

        return e.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new KnowledgeValidationException($"{path}.{name}", $"is required: {kind.ToString().ToLowerInvariant()}");
    }

    private static string Text(JsonElement e, string name, string path, bool allowEmpty = false)
    {
        var value = Property(e, name, JsonValueKind.String, path).GetString()!;
        return allowEmpty || value.Length > 0 ? value : throw new KnowledgeValidationException($"{path}.{name}", "must not be empty");
    }
}
