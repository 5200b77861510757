using System.Globalization;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Memory;

/// <summary>
/// The JSON of the memory API, written and read by the one code the REST routes, the MCP tools and
/// <see cref="MemoryClient"/> share. Times are ISO 8601 strings; a memory's text is <c>memory</c>,
/// as mem0 names it.
/// </summary>
public static partial class MemoryJson
{
    // Tool results are read by language models: keep non-ASCII text as it is rather than \u escapes
    // (the text is JSON inside JSON, never HTML).
    private static readonly JsonWriterOptions ReadableText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a memory.</summary>
    public static void WriteRecord(Utf8JsonWriter w, MemoryRecord m)
    {
        w.WriteStartObject();
        WriteRecordFields(w, m);
        w.WriteEndObject();
    }

    /// <summary>Writes a search hit: the memory's fields, <c>score</c> and <c>scores</c>.</summary>
    public static void WriteHit(Utf8JsonWriter w, MemoryHit hit)
    {
        w.WriteStartObject();
        WriteRecordFields(w, hit.Memory);
        w.WriteNumber("score", hit.Score);
        w.WriteStartObject("scores");
        w.WriteNumber("vector", hit.VectorScore);
        w.WriteNumber("keyword", hit.KeywordScore);
        w.WriteNumber("relevance", hit.Relevance);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Writes a history entry.</summary>
    public static void WriteVersion(Utf8JsonWriter w, MemoryVersion v)
    {
        w.WriteStartObject();
        w.WriteNumber("version", v.Version);
        w.WriteString("event", v.Event);
        w.WriteString("memory", v.Text);
        Raw(w, "metadata", v.Metadata);
        w.WriteString("at", Iso(v.At));
        w.WriteString("by", v.By);
        if (v.Related is { } related)
        {
            w.WriteString("related", related);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes an add event.</summary>
    public static void WriteEvent(Utf8JsonWriter w, MemoryEvent e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("event", e.Event);
        w.WriteString("memory", e.Text);
        w.WriteEndObject();
    }

    /// <summary>Writes a consolidation report.</summary>
    public static void WriteReport(Utf8JsonWriter w, ConsolidationReport r)
    {
        w.WriteStartObject();
        w.WriteNumber("patterns_created", r.PatternsCreated);
        w.WriteNumber("patterns_updated", r.PatternsUpdated);
        w.WriteNumber("members_assigned", r.MembersAssigned);
        w.WriteNumber("episodes_seen", r.EpisodesSeen);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"results": [...]}</c> (and <c>next_cursor</c> for a page).</summary>
    public static void WriteResults<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> write, string? nextCursor = null, bool withCursor = false)
    {
        w.WriteStartObject();
        w.WriteStartArray("results");
        foreach (var item in items)
        {
            write(w, item);
        }

        w.WriteEndArray();
        if (withCursor)
        {
            w.WriteString("next_cursor", nextCursor);
        }

        w.WriteEndObject();
    }

    /// <summary>Serializes with a writer callback into a string (tool results, request bodies).</summary>
    public static string ToJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ReadableText))
        {
            write(w);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a memory written by <see cref="WriteRecord"/> (or a hit).</summary>
    public static MemoryRecord ReadRecord(JsonElement e)
    {
        var metadata = JsonFields.Get(e, "metadata");
        return new MemoryRecord(
            Guid.Parse(e.GetProperty("id").GetString()!),
            e.GetProperty("memory").GetString()!,
            MemoryKinds.Parse(e.GetProperty("kind").GetString()),
            ReadScope(e, "result"),
            metadata?.Clone(),
            e.GetProperty("version").GetInt32())
        {
            CreatedAt = Time(e, "created_at")!.Value,
            UpdatedAt = Time(e, "updated_at")!.Value,
            ValidFrom = Time(e, "valid_from")!.Value,
            ValidTo = Time(e, "valid_to"),
            ExpiredAt = Time(e, "expired_at"),
            ExpiresAt = Time(e, "expires_at"),
            Supersedes = [.. e.GetProperty("supersedes").EnumerateArray().Select(x => Guid.Parse(x.GetString()!))],
            SupersededBy = JsonFields.Get(e, "superseded_by") is { } by ? Guid.Parse(by.GetString()!) : null,
            AccessCount = e.GetProperty("access_count").GetInt64(),
            LastAccessedAt = Time(e, "last_accessed_at"),
            Mentions = e.GetProperty("mentions").GetInt32(),
            Pattern = JsonFields.Get(e, "pattern") is { } p
                ? new MemoryPattern([.. p.GetProperty("members").EnumerateArray().Select(x => Guid.Parse(x.GetString()!))], p.GetProperty("confidence").GetDouble())
                : null,
            ConsolidatedInto = JsonFields.Get(e, "consolidated_into") is { } into ? Guid.Parse(into.GetString()!) : null,
        };
    }

    /// <summary>Reads a hit written by <see cref="WriteHit"/>.</summary>
    public static MemoryHit ReadHit(JsonElement e)
    {
        var scores = e.GetProperty("scores");
        return new MemoryHit(ReadRecord(e), e.GetProperty("score").GetDouble(), scores.GetProperty("vector").GetDouble(), scores.GetProperty("keyword").GetDouble(), scores.GetProperty("relevance").GetDouble());
    }

    /// <summary>Reads a history entry.</summary>
    public static MemoryVersion ReadVersion(JsonElement e) =>
        new(e.GetProperty("version").GetInt32(), e.GetProperty("event").GetString()!, e.GetProperty("memory").GetString()!, JsonFields.Get(e, "metadata")?.Clone(), Time(e, "at")!.Value, JsonFields.Get(e, "by")?.GetString())
        {
            Related = JsonFields.Get(e, "related") is { } r ? Guid.Parse(r.GetString()!) : null,
        };

    /// <summary>Reads an add event.</summary>
    public static MemoryEvent ReadEvent(JsonElement e) =>
        new(Guid.Parse(e.GetProperty("id").GetString()!), e.GetProperty("event").GetString()!, e.GetProperty("memory").GetString()!);

    /// <summary>Reads a consolidation report.</summary>
    public static ConsolidationReport ReadReport(JsonElement e) =>
        new(e.GetProperty("patterns_created").GetInt32(), e.GetProperty("patterns_updated").GetInt32(), e.GetProperty("members_assigned").GetInt32(), e.GetProperty("episodes_seen").GetInt32());

    /// <summary>An ISO 8601 time with offset (round-trip form).</summary>
    public static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static void WriteRecordFields(Utf8JsonWriter w, MemoryRecord m)
    {
        w.WriteString("id", m.Id);
        w.WriteString("memory", m.Text);
        w.WriteString("kind", m.Kind.ToName());
        var values = m.Scope.Values;
        for (var i = 0; i < 4; i++)
        {
            if (values[i] is { } v)
            {
                w.WriteString(MemoryScope.Keys[i], v);
            }
        }

        Raw(w, "metadata", m.Metadata);
        w.WriteNumber("version", m.Version);
        w.WriteString("created_at", Iso(m.CreatedAt));
        w.WriteString("updated_at", Iso(m.UpdatedAt));
        w.WriteString("valid_from", Iso(m.ValidFrom));
        OptionalTime(w, "valid_to", m.ValidTo);
        OptionalTime(w, "expired_at", m.ExpiredAt);
        OptionalTime(w, "expires_at", m.ExpiresAt);
        w.WriteStartArray("supersedes");
        foreach (var id in m.Supersedes)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        if (m.SupersededBy is { } by)
        {
            w.WriteString("superseded_by", by);
        }
        else
        {
            w.WriteNull("superseded_by");
        }

        w.WriteNumber("access_count", m.AccessCount);
        OptionalTime(w, "last_accessed_at", m.LastAccessedAt);
        w.WriteNumber("mentions", m.Mentions);
        if (m.Pattern is { } p)
        {
            w.WriteStartObject("pattern");
            w.WriteStartArray("members");
            foreach (var id in p.Members)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteNumber("confidence", p.Confidence);
            w.WriteEndObject();
        }

        if (m.ConsolidatedInto is { } into)
        {
            w.WriteString("consolidated_into", into);
        }
    }

    private static void Raw(Utf8JsonWriter w, string name, JsonElement? value)
    {
        if (value is { } v)
        {
            w.WritePropertyName(name);
            v.WriteTo(w);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void OptionalTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } value)
        {
            w.WriteString(name, Iso(value));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
