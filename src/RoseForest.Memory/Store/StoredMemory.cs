using System.Buffers;
using System.Text.Json;

namespace RoseForest.Memory;

/// <summary>
/// A memory as its point's payload holds it, with every time in Unix milliseconds (so that the
/// engine's range filters apply). The one place that knows the payload's keys: building the
/// payload, the filter view the keyword index keeps, and reading both back.
/// </summary>
internal sealed class StoredMemory
{
    public required Guid Id { get; init; }

    public required string Text { get; set; }

    public MemoryKind Kind { get; set; }

    public required MemoryScope Scope { get; init; }

    public JsonElement? Metadata { get; set; }

    public int Version { get; set; } = 1;

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long ValidFrom { get; set; }

    public long? ValidTo { get; set; }

    public long? ExpiredAt { get; set; }

    public long? ExpiresAt { get; set; }

    public List<Guid> Supersedes { get; init; } = [];

    public Guid? SupersededBy { get; set; }

    public long AccessCount { get; set; }

    public long? LastAccessedAt { get; set; }

    public int Mentions { get; set; } = 1;

    public List<Guid>? PatternMembers { get; set; }

    public double? Confidence { get; set; }

    public Guid? ConsolidatedInto { get; set; }

    public string? Embedder { get; set; }

    public List<MemoryVersion> History { get; init; } = [];

    public PointId PointId => Id;

    /// <summary>The full payload.</summary>
    public JsonElement ToPayload() => Build(this, full: true);

    /// <summary>What the keyword index keeps to evaluate filters: everything but text, history and access counts.</summary>
    public JsonElement ToFilterView() => Build(this, full: false);

    public MemoryRecord ToRecord() => new(Id, Text, Kind, Scope, Metadata, Version)
    {
        CreatedAt = Time(CreatedAt),
        UpdatedAt = Time(UpdatedAt),
        ValidFrom = Time(ValidFrom),
        ValidTo = Time(ValidTo),
        ExpiredAt = Time(ExpiredAt),
        ExpiresAt = Time(ExpiresAt),
        Supersedes = [.. Supersedes],
        SupersededBy = SupersededBy,
        AccessCount = AccessCount,
        LastAccessedAt = Time(LastAccessedAt),
        Mentions = Mentions,
        Pattern = PatternMembers is null ? null : new MemoryPattern([.. PatternMembers], Confidence ?? 0),
        ConsolidatedInto = ConsolidatedInto,
    };

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) => ms is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null;

    /// <summary>Reads a payload written by <see cref="ToPayload"/> (or a filter view: text and history come back empty).</summary>
    public static StoredMemory Read(PointId id, JsonElement payload)
    {
        var scope = new MemoryScope(Str(payload, "user_id"), Str(payload, "agent_id"), Str(payload, "run_id"), Str(payload, "app_id"));
        var memory = new StoredMemory
        {
            Id = id.Uuid,
            Text = Str(payload, "text") ?? string.Empty,
            Scope = scope,
            Kind = Str(payload, "kind") is { } k ? MemoryKinds.Parse(k) : MemoryKind.Semantic,
            Metadata = payload.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m.Clone() : null,
            Version = (int)(Num(payload, "version") ?? 1),
            CreatedAt = Num(payload, "created_at") ?? 0,
            UpdatedAt = Num(payload, "updated_at") ?? 0,
            ValidFrom = Num(payload, "valid_from") ?? 0,
            ValidTo = Num(payload, "valid_to"),
            ExpiredAt = Num(payload, "expired_at"),
            ExpiresAt = Num(payload, "expires_at"),
            SupersededBy = GuidOf(payload, "superseded_by"),
            AccessCount = Num(payload, "access_count") ?? 0,
            LastAccessedAt = Num(payload, "last_accessed_at"),
            Mentions = (int)(Num(payload, "mentions") ?? 1),
            ConsolidatedInto = GuidOf(payload, "consolidated_into"),
            Embedder = Str(payload, "embedder"),
        };
        if (payload.TryGetProperty("supersedes", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            memory.Supersedes.AddRange(s.EnumerateArray().Select(e => Guid.Parse(e.GetString()!)));
        }

        if (payload.TryGetProperty("pattern", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            memory.PatternMembers = [.. p.GetProperty("members").EnumerateArray().Select(e => Guid.Parse(e.GetString()!))];
            memory.Confidence = p.GetProperty("confidence").GetDouble();
        }

        if (payload.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in h.EnumerateArray())
            {
                memory.History.Add(new MemoryVersion(
                    (int)Num(e, "version")!.Value,
                    Str(e, "event") ?? "add",
                    Str(e, "text") ?? string.Empty,
                    e.TryGetProperty("metadata", out var hm) && hm.ValueKind == JsonValueKind.Object ? hm.Clone() : null,
                    Time(Num(e, "at") ?? 0),
                    Str(e, "by"))
                {
                    Related = GuidOf(e, "related"),
                });
            }
        }

        return memory;
    }

    private static JsonElement Build(StoredMemory m, bool full)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (full)
            {
                w.WriteString("text", m.Text);
            }

            w.WriteString("kind", m.Kind.ToName());
            var values = m.Scope.Values;
            for (var i = 0; i < 4; i++)
            {
                if (values[i] is { } v)
                {
                    w.WriteString(MemoryScope.Keys[i], v);
                }
            }

            if (m.Metadata is { } metadata)
            {
                w.WritePropertyName("metadata");
                metadata.WriteTo(w);
            }

            w.WriteNumber("version", m.Version);
            w.WriteNumber("created_at", m.CreatedAt);
            w.WriteNumber("updated_at", m.UpdatedAt);
            w.WriteNumber("valid_from", m.ValidFrom);
            Optional(w, "valid_to", m.ValidTo);
            Optional(w, "expired_at", m.ExpiredAt);
            Optional(w, "expires_at", m.ExpiresAt);
            if (m.Supersedes.Count > 0)
            {
                Ids(w, "supersedes", m.Supersedes);
            }

            if (m.SupersededBy is { } by)
            {
                w.WriteString("superseded_by", by);
            }

            if (m.ConsolidatedInto is { } into)
            {
                w.WriteString("consolidated_into", into);
            }

            if (m.PatternMembers is { } members)
            {
                w.WriteStartObject("pattern");
                Ids(w, "members", members);
                w.WriteNumber("confidence", m.Confidence ?? 0);
                w.WriteEndObject();
            }

            w.WriteNumber("mentions", m.Mentions);
            if (full)
            {
                w.WriteNumber("access_count", m.AccessCount);
                Optional(w, "last_accessed_at", m.LastAccessedAt);
                if (m.Embedder is not null)
                {
                    w.WriteString("embedder", m.Embedder);
                }

                w.WriteStartArray("history");
                foreach (var v in m.History)
                {
                    w.WriteStartObject();
                    w.WriteNumber("version", v.Version);
                    w.WriteString("event", v.Event);
                    w.WriteString("text", v.Text);
                    if (v.Metadata is { } vm)
                    {
                        w.WritePropertyName("metadata");
                        vm.WriteTo(w);
                    }

                    w.WriteNumber("at", v.At.ToUnixTimeMilliseconds());
                    if (v.By is not null)
                    {
                        w.WriteString("by", v.By);
                    }

                    if (v.Related is { } related)
                    {
                        w.WriteString("related", related);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static void Optional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void Ids(Utf8JsonWriter w, string name, IEnumerable<Guid> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static Guid? GuidOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Guid.Parse(v.GetString()!) : null;
}
