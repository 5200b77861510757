using System.Globalization;
using System.Text;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Memory;

public static partial class MemoryJson
{
    private static readonly string[] AddFields = ["text", "messages", "user_id", "agent_id", "run_id", "app_id", "metadata", "kind", "infer", "supersedes", "valid_from", "valid_to", "expires_at", "ttl_seconds", "actor"];
    private static readonly string[] SearchFields = ["query", "user_id", "agent_id", "run_id", "app_id", "filters", "limit", "as_of", "kind", "score_threshold", "mode", "weights"];
    private static readonly string[] UpdateFields = ["text", "metadata", "supersede", "valid_from", "actor", "user_id", "agent_id", "run_id", "app_id"];
    private static readonly string[] WeightFields = ["method", "rrf_k", "vector", "keyword", "recency", "importance", "keyword_min_coverage"];
    private static readonly string[] FilterKeys = ["must", "should", "must_not", "min_should"];

    /// <summary>The four scope ids of an object (absent or empty ones are null; nothing is required here).</summary>
    public static MemoryScope ReadScope(JsonElement obj, string field = "") =>
        MemoryScope.Of(JsonFields.String(obj, "user_id", field), JsonFields.String(obj, "agent_id", field), JsonFields.String(obj, "run_id", field), JsonFields.String(obj, "app_id", field));

    /// <summary>
    /// An add request: <c>text</c> (or mem0's <c>messages</c>, a list of <c>{role, content}</c>
    /// joined as "role: content" lines), scope ids, <c>metadata</c>, <c>kind</c>, <c>infer</c>,
    /// <c>supersedes</c>, <c>valid_from</c>, <c>valid_to</c>, <c>expires_at</c>, <c>ttl_seconds</c>, <c>actor</c>.
    /// </summary>
    public static AddMemoryRequest ReadAdd(JsonElement body, string field = "", string? defaultActor = null)
    {
        JsonFields.Object(body, field, AddFields);
        var text = JsonFields.String(body, "text", field);
        if (JsonFields.Get(body, "messages") is { } messages)
        {
            text = text is null ? Messages(messages, JsonFields.Join(field, "messages")) : throw new ValidationException(JsonFields.Join(field, "messages"), "give text or messages, not both.");
        }

        var ttl = JsonFields.Double(body, "ttl_seconds", field);
        return new AddMemoryRequest
        {
            Text = text ?? throw new ValidationException(JsonFields.Join(field, "text"), "is required."),
            Scope = ReadScope(body, field),
            Metadata = JsonFields.Get(body, "metadata"),
            Kind = JsonFields.String(body, "kind", field) is { } kind ? MemoryKinds.Parse(kind, JsonFields.Join(field, "kind")) : MemoryKind.Semantic,
            Infer = JsonFields.Bool(body, "infer", field) ?? false,
            Supersedes = JsonFields.Get(body, "supersedes") is { } ids ? GuidList(ids, JsonFields.Join(field, "supersedes")) : null,
            ValidFrom = ReadTime(body, "valid_from", field),
            ValidTo = ReadTime(body, "valid_to", field),
            ExpiresAt = ReadTime(body, "expires_at", field),
            Ttl = ttl is { } seconds ? (seconds > 0 && seconds < 1e10 ? TimeSpan.FromSeconds(seconds) : throw new ValidationException(JsonFields.Join(field, "ttl_seconds"), "must be a positive number of seconds.")) : null,
            Actor = JsonFields.String(body, "actor", field) ?? defaultActor,
        };
    }

    /// <summary>A search request (see the REST documentation for the fields).</summary>
    public static SearchMemoryRequest ReadSearch(JsonElement body, string field = "")
    {
        JsonFields.Object(body, field, SearchFields);
        return new SearchMemoryRequest
        {
            Query = JsonFields.String(body, "query", field) ?? throw new ValidationException(JsonFields.Join(field, "query"), "is required."),
            Scope = ReadScope(body, field),
            Filter = JsonFields.Get(body, "filters") is { } filters ? ReadFilters(filters, JsonFields.Join(field, "filters")) : null,
            Limit = JsonFields.Int(body, "limit", field, 1, MemoryStore.MaxLimit) ?? 10,
            AsOf = ReadTime(body, "as_of", field),
            Kind = JsonFields.String(body, "kind", field) is { } kind ? MemoryKinds.Parse(kind, JsonFields.Join(field, "kind")) : null,
            ScoreThreshold = JsonFields.Double(body, "score_threshold", field),
            Mode = JsonFields.String(body, "mode", field) switch
            {
                null or "hybrid" => RecallMode.Hybrid,
                "vector" => RecallMode.Vector,
                "keyword" => RecallMode.Keyword,
                var other => throw new ValidationException(JsonFields.Join(field, "mode"), $"must be hybrid, vector or keyword; got '{other}'."),
            },
            Fusion = JsonFields.Get(body, "weights") is { } weights ? ReadWeights(weights, JsonFields.Join(field, "weights")) : null,
        };
    }

    /// <summary>An update of memory <paramref name="id"/>: <c>text</c>, <c>metadata</c>, <c>supersede</c>, <c>valid_from</c>, <c>actor</c>; scope ids confine the caller.</summary>
    public static UpdateMemoryRequest ReadUpdate(Guid id, JsonElement body, MemoryScope? boundary = null, string field = "", string? defaultActor = null)
    {
        JsonFields.Object(body, field, UpdateFields);
        var within = ReadScope(body, field);
        return new UpdateMemoryRequest
        {
            Id = id,
            Text = JsonFields.String(body, "text", field),
            Metadata = JsonFields.Get(body, "metadata"),
            Supersede = JsonFields.Bool(body, "supersede", field) ?? false,
            ValidFrom = ReadTime(body, "valid_from", field),
            Within = Confine(within, boundary),
            Actor = JsonFields.String(body, "actor", field) ?? defaultActor,
        };
    }

    /// <summary>
    /// The scope a by-id call is confined to: the ids the caller named, inside its boundary; null
    /// when neither names any (the call is not confined).
    /// </summary>
    public static MemoryScope? Confine(MemoryScope asked, MemoryScope? boundary)
    {
        var scope = asked.Within(boundary);
        return scope.IsEmpty ? null : scope;
    }

    /// <summary>
    /// Search filters: a Qdrant filter (an object with <c>must</c>, <c>should</c>, <c>must_not</c>
    /// or <c>min_should</c>; keys are payload paths such as <c>metadata.topic</c>), or a plain
    /// object of metadata keys and the values they must equal (a list: any of them), as mem0 takes them.
    /// </summary>
    public static Filter ReadFilters(JsonElement filters, string field = "filters")
    {
        if (filters.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"expected an object, got {JsonFields.Kind(filters)}.");
        }

        if (filters.EnumerateObject().Any(p => Array.IndexOf(FilterKeys, p.Name) >= 0))
        {
            return QdrantFilter.Read(filters, field);
        }

        var must = new List<Condition>();
        foreach (var p in filters.EnumerateObject())
        {
            var key = "metadata." + (p.Name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-') ? p.Name : $"\"{p.Name}\"");
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                must.Add(Condition.MatchAny(key, [.. p.Value.EnumerateArray().Select(v => Value(v, JsonFields.Join(field, p.Name)))]));
            }
            else
            {
                must.Add(Condition.Match(key, Value(p.Value, JsonFields.Join(field, p.Name))));
            }
        }

        return new Filter(must: must);
    }

    /// <summary>An ISO 8601 time property, or null when absent.</summary>
    public static DateTimeOffset? ReadTime(JsonElement obj, string name, string field = "")
    {
        if (JsonFields.String(obj, name, field) is not { } text)
        {
            return null;
        }

        return ParseTime(text, JsonFields.Join(field, name));
    }

    /// <summary>Parses an ISO 8601 time (a time without offset is UTC).</summary>
    public static DateTimeOffset ParseTime(string text, string field) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new ValidationException(field, $"expected an ISO 8601 time such as 2026-05-01T12:00:00Z, got '{text}'.");

    /// <summary>Writes an add request as <see cref="ReadAdd"/> reads it.</summary>
    public static void WriteAdd(Utf8JsonWriter w, AddMemoryRequest r)
    {
        w.WriteStartObject();
        w.WriteString("text", r.Text);
        WriteScope(w, r.Scope);
        if (r.Metadata is { } m)
        {
            w.WritePropertyName("metadata");
            m.WriteTo(w);
        }

        w.WriteString("kind", r.Kind.ToName());
        w.WriteBoolean("infer", r.Infer);
        if (r.Supersedes is { } ids)
        {
            w.WriteStartArray("supersedes");
            foreach (var id in ids)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        }

        WriteTime(w, "valid_from", r.ValidFrom);
        WriteTime(w, "valid_to", r.ValidTo);
        WriteTime(w, "expires_at", r.ExpiresAt);
        if (r.Ttl is { } ttl)
        {
            w.WriteNumber("ttl_seconds", ttl.TotalSeconds);
        }

        if (r.Actor is not null)
        {
            w.WriteString("actor", r.Actor);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a search request as <see cref="ReadSearch"/> reads it.</summary>
    public static void WriteSearch(Utf8JsonWriter w, SearchMemoryRequest r)
    {
        w.WriteStartObject();
        w.WriteString("query", r.Query);
        WriteScope(w, r.Scope);
        if (r.Filter is { } filter)
        {
            w.WritePropertyName("filters");
            QdrantFilter.Write(w, filter);
        }

        w.WriteNumber("limit", r.Limit);
        WriteTime(w, "as_of", r.AsOf);
        if (r.Kind is { } kind)
        {
            w.WriteString("kind", kind.ToName());
        }

        if (r.ScoreThreshold is { } t)
        {
            w.WriteNumber("score_threshold", t);
        }

        w.WriteString("mode", r.Mode.ToString().ToLowerInvariant());
        if (r.Fusion is { } f)
        {
            w.WriteStartObject("weights");
            w.WriteString("method", f.Method == RecallFusion.Rrf ? "rrf" : "linear");
            w.WriteNumber("rrf_k", f.RrfK);
            w.WriteNumber("vector", f.Vector);
            w.WriteNumber("keyword", f.Keyword);
            w.WriteNumber("recency", f.Recency);
            w.WriteNumber("importance", f.Importance);
            w.WriteNumber("keyword_min_coverage", f.KeywordMinCoverage);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes an update request's body as <see cref="ReadUpdate"/> reads it.</summary>
    public static void WriteUpdate(Utf8JsonWriter w, UpdateMemoryRequest r)
    {
        w.WriteStartObject();
        if (r.Text is not null)
        {
            w.WriteString("text", r.Text);
        }

        if (r.Metadata is { } m)
        {
            w.WritePropertyName("metadata");
            m.WriteTo(w);
        }

        w.WriteBoolean("supersede", r.Supersede);
        WriteTime(w, "valid_from", r.ValidFrom);
        if (r.Actor is not null)
        {
            w.WriteString("actor", r.Actor);
        }

        if (r.Within is { } within)
        {
            WriteScope(w, within);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes the scope ids that are set.</summary>
    public static void WriteScope(Utf8JsonWriter w, MemoryScope scope)
    {
        var values = scope.Values;
        for (var i = 0; i < 4; i++)
        {
            if (values[i] is { } v)
            {
                w.WriteString(MemoryScope.Keys[i], v);
            }
        }
    }

    private static FusionOptions ReadWeights(JsonElement weights, string field)
    {
        JsonFields.Object(weights, field, WeightFields);
        var defaults = new FusionOptions();
        var fusion = new FusionOptions
        {
            Method = JsonFields.String(weights, "method", field) switch
            {
                null or "rrf" => RecallFusion.Rrf,
                "linear" => RecallFusion.Linear,
                var other => throw new ValidationException(JsonFields.Join(field, "method"), $"must be rrf or linear; got '{other}'."),
            },
            RrfK = JsonFields.Double(weights, "rrf_k", field) ?? defaults.RrfK,
            Vector = JsonFields.Double(weights, "vector", field) ?? defaults.Vector,
            Keyword = JsonFields.Double(weights, "keyword", field) ?? defaults.Keyword,
            Recency = JsonFields.Double(weights, "recency", field) ?? defaults.Recency,
            Importance = JsonFields.Double(weights, "importance", field) ?? defaults.Importance,
            KeywordMinCoverage = JsonFields.Double(weights, "keyword_min_coverage", field) ?? defaults.KeywordMinCoverage,
        };
        fusion.Validate();
        return fusion;
    }

    private static FilterValue Value(JsonElement v, string field) => v.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Keyword(v.GetString()!),
        JsonValueKind.True => FilterValue.Bool(true),
        JsonValueKind.False => FilterValue.Bool(false),
        JsonValueKind.Number when v.TryGetInt64(out var n) => FilterValue.Integer(n),
        _ => throw new ValidationException(field, $"expected a string, an integer or a boolean to match, got {JsonFields.Kind(v)}."),
    };

    private static List<Guid> GuidList(JsonElement ids, string field)
    {
        if (ids.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, $"expected a list of memory ids, got {JsonFields.Kind(ids)}.");
        }

        var list = new List<Guid>();
        var i = 0;
        foreach (var id in ids.EnumerateArray())
        {
            list.Add(id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var g) ? g : throw new ValidationException($"{field}[{i}]", "expected a memory id (a UUID)."));
            i++;
        }

        return list;
    }

    private static string Messages(JsonElement messages, string field)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new ValidationException(field, "expected a non-empty list of {role, content} messages.");
        }

        var text = new StringBuilder();
        var i = 0;
        foreach (var m in messages.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            JsonFields.Object(m, at, "role", "content");
            var role = JsonFields.String(m, "role", at) ?? "user";
            var content = JsonFields.String(m, "content", at) ?? throw new ValidationException(JsonFields.Join(at, "content"), "is required.");
            text.Append(role).Append(": ").AppendLine(content);
        }

        return text.ToString().TrimEnd();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } value)
        {
            w.WriteString(name, Iso(value));
        }
    }

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        JsonFields.Get(e, name) is { } v ? ParseTime(v.GetString()!, name) : null;
}
