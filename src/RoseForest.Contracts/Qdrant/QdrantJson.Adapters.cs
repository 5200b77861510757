using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

/// <summary>
/// The query-adapter routes (RoseForest's own, not Qdrant's): feedback, settings, versions. Both
/// ways, so the server and a client agree; see docs/api.md, "Query adapters".
/// </summary>
public static partial class QdrantJson
{
    /// <summary>
    /// <c>POST /collections/{name}/feedback</c>: <c>{"query": [floats] | {"text": …}, "relevant":
    /// [ids], "irrelevant"?: [ids], "using"?: name, "tenant"?: string}</c>. An empty
    /// <c>relevant</c> is refused here.
    /// </summary>
    public static FeedbackRequest ReadFeedback(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "query", "relevant", "irrelevant", "using", "tenant");
        VectorData query = JsonFields.Get(body, "query") switch
        {
            null => throw new ValidationException("query", "is required: a vector (array of numbers) or a document ({\"text\": …})."),
            { ValueKind: JsonValueKind.Array } v => new DenseVector(JsonFields.Vector(v, "query")),
            { ValueKind: JsonValueKind.Object } v => ReadDocument(v, "query"),
            { } v => throw new ValidationException("query", $"expected a vector (array of numbers) or a document ({{\"text\": …}}), got {JsonFields.Kind(v)}."),
        };
        var relevant = JsonFields.Get(body, "relevant") is { } r ? JsonFields.Ids(r, "relevant") : [];
        if (relevant.Count == 0)
        {
            throw new ValidationException("relevant", "at least one point must be marked relevant.");
        }

        return new FeedbackRequest
        {
            Query = query,
            Relevant = relevant,
            Irrelevant = JsonFields.Get(body, "irrelevant") is { } i ? JsonFields.Ids(i, "irrelevant") : [],
            Using = JsonFields.String(body, "using", string.Empty),
            Tenant = JsonFields.String(body, "tenant", string.Empty),
        };
    }

    /// <summary>Writes a feedback request (the client side of <see cref="ReadFeedback"/>).</summary>
    public static void WriteFeedback(Utf8JsonWriter w, FeedbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(request);
        w.WriteStartObject();
        w.WritePropertyName("query");
        WriteVectorData(w, request.Query);
        WriteIdArray(w, "relevant", request.Relevant);
        if (request.Irrelevant.Count > 0)
        {
            WriteIdArray(w, "irrelevant", request.Irrelevant);
        }

        if (request.Using is { } u)
        {
            w.WriteString("using", u);
        }

        if (request.Tenant is { } t)
        {
            w.WriteString("tenant", t);
        }

        w.WriteEndObject();
    }

    private static void WriteIdArray(Utf8JsonWriter w, string name, IReadOnlyList<PointId> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            id.WriteTo(w);
        }

        w.WriteEndArray();
    }

    /// <summary>The result of a feedback update.</summary>
    public static void WriteFeedbackResult(Utf8JsonWriter w, FeedbackResult r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteNumber("updates", r.Updates);
        w.WriteNumber("loss", r.Loss);
        w.WriteNumber("negatives", r.Negatives);
        w.WriteNumber("replayed", r.Replayed);
        w.WriteNumber("version", r.Version);
        w.WriteEndObject();
    }

    /// <summary><c>PUT /collections/{name}/adapter</c>: any of the settings; absent fields keep their value.</summary>
    public static AdapterSettings ReadAdapterSettings(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "enabled", "rank", "alpha", "learning_rate", "ewc_lambda", "replay_capacity", "replay_batch", "negatives", "temperature", "consolidate_every", "ab_fraction", "reset");
        return new AdapterSettings
        {
            Enabled = JsonFields.Bool(body, "enabled", string.Empty),
            Rank = JsonFields.Int(body, "rank", string.Empty, 1, 8),
            Alpha = JsonFields.Double(body, "alpha", string.Empty),
            LearningRate = JsonFields.Double(body, "learning_rate", string.Empty),
            EwcLambda = JsonFields.Double(body, "ewc_lambda", string.Empty),
            ReplayCapacity = JsonFields.Int(body, "replay_capacity", string.Empty, 0, 1_000_000),
            ReplayBatch = JsonFields.Int(body, "replay_batch", string.Empty, 0, 256),
            Negatives = JsonFields.Int(body, "negatives", string.Empty, 0, 1024),
            Temperature = JsonFields.Double(body, "temperature", string.Empty),
            ConsolidateEvery = JsonFields.Int(body, "consolidate_every", string.Empty, 0, int.MaxValue),
            AbFraction = JsonFields.Double(body, "ab_fraction", string.Empty),
            Reset = JsonFields.Bool(body, "reset", string.Empty) ?? false,
        };
    }

    /// <summary>The settings and adapters, as <c>GET /collections/{name}/adapter</c> answers.</summary>
    public static void WriteAdapterInfo(Utf8JsonWriter w, AdapterInfo info)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(info);
        var o = info.Options;
        w.WriteStartObject();
        w.WriteStartObject("config");
        w.WriteBoolean("enabled", o.Enabled);
        w.WriteNumber("rank", o.Rank);
        w.WriteNumber("alpha", o.Alpha);
        w.WriteNumber("learning_rate", o.LearningRate);
        w.WriteNumber("ewc_lambda", o.EwcLambda);
        w.WriteNumber("replay_capacity", o.ReplayCapacity);
        w.WriteNumber("replay_batch", o.ReplayBatch);
        w.WriteNumber("negatives", o.Negatives);
        w.WriteNumber("temperature", o.Temperature);
        w.WriteNumber("consolidate_every", o.ConsolidateEvery);
        w.WriteNumber("ab_fraction", o.AbFraction);
        w.WriteEndObject();
        w.WriteStartArray("adapters");
        foreach (var a in info.Adapters)
        {
            w.WriteStartObject();
            w.WriteString("using", a.Using);
            w.WriteString("tenant", a.Tenant);
            w.WriteNumber("dimension", a.Dimension);
            w.WriteNumber("rank", a.Rank);
            w.WriteNumber("updates", a.Updates);
            w.WriteNumber("version", a.Version);
            w.WriteNumber("replay_size", a.ReplaySize);
            w.WriteStartArray("versions");
            foreach (var v in a.Versions)
            {
                WriteAdapterVersion(w, v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One adapter version.</summary>
    public static void WriteAdapterVersion(Utf8JsonWriter w, AdapterVersionInfo v)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(v);
        w.WriteStartObject();
        w.WriteNumber("version", v.Version);
        w.WriteString("created", v.Created);
        w.WriteNumber("updates", v.Updates);
        w.WriteString("reason", v.Reason);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>POST /collections/{name}/adapter/rollback</c> <c>{"version": n, "using"?, "tenant"?}</c>
    /// and <c>…/adapter/consolidate</c> <c>{"using"?, "tenant"?}</c> (version null).
    /// </summary>
    public static (int? Version, string? Using, string? Tenant) ReadAdapterTarget(JsonElement body, bool versionRequired)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return versionRequired ? throw new ValidationException("version", "is required.") : (null, null, null);
        }

        if (versionRequired)
        {
            JsonFields.Object(body, string.Empty, "version", "using", "tenant");
        }
        else
        {
            JsonFields.Object(body, string.Empty, "using", "tenant");
        }

        var version = JsonFields.Int(body, "version", string.Empty, 0, int.MaxValue);
        if (versionRequired && version is null)
        {
            throw new ValidationException("version", "is required.");
        }

        return (version, JsonFields.String(body, "using", string.Empty), JsonFields.String(body, "tenant", string.Empty));
    }

    /// <summary>A query's <c>adapter</c> field: true/false, or <c>{"use"?: bool, "tenant"?: string}</c>.</summary>
    private static (bool? Use, string? Tenant) ReadAdapterSwitch(JsonElement body, string field)
    {
        if (JsonFields.Get(body, "adapter") is not { } a)
        {
            return (null, null);
        }

        var path = JsonFields.Join(field, "adapter");
        return a.ValueKind switch
        {
            JsonValueKind.True => (true, null),
            JsonValueKind.False => (false, null),
            JsonValueKind.Object => (JsonFields.Bool(JsonFields.Object(a, path, "use", "tenant"), "use", path), JsonFields.String(a, "tenant", path)),
            _ => throw new ValidationException(path, $"expected true, false or {{\"use\", \"tenant\"}}, got {JsonFields.Kind(a)}."),
        };
    }

    /// <summary>Reads <see cref="WriteFeedbackResult"/>'s object (the client side).</summary>
    public static FeedbackResult ReadFeedbackResult(JsonElement r) => new(
        r.GetProperty("updates").GetInt64(),
        r.GetProperty("loss").GetDouble(),
        r.GetProperty("negatives").GetInt32(),
        r.GetProperty("replayed").GetInt32(),
        r.GetProperty("version").GetInt32());

    /// <summary>Reads <see cref="WriteAdapterVersion"/>'s object (the client side).</summary>
    public static AdapterVersionInfo ReadAdapterVersion(JsonElement v) => new(
        v.GetProperty("version").GetInt32(),
        v.GetProperty("created").GetDateTimeOffset(),
        v.GetProperty("updates").GetInt64(),
        v.GetProperty("reason").GetString() ?? string.Empty);

    /// <summary>Reads <see cref="WriteAdapterInfo"/>'s object (the client side).</summary>
    public static AdapterInfo ReadAdapterInfo(JsonElement info)
    {
        var c = info.GetProperty("config");
        var options = new AdapterOptions
        {
            Enabled = c.GetProperty("enabled").GetBoolean(),
            Rank = c.GetProperty("rank").GetInt32(),
            Alpha = c.GetProperty("alpha").GetDouble(),
            LearningRate = c.GetProperty("learning_rate").GetDouble(),
            EwcLambda = c.GetProperty("ewc_lambda").GetDouble(),
            ReplayCapacity = c.GetProperty("replay_capacity").GetInt32(),
            ReplayBatch = c.GetProperty("replay_batch").GetInt32(),
            Negatives = c.GetProperty("negatives").GetInt32(),
            Temperature = c.GetProperty("temperature").GetDouble(),
            ConsolidateEvery = c.GetProperty("consolidate_every").GetInt32(),
            AbFraction = c.GetProperty("ab_fraction").GetDouble(),
        };
        var adapters = info.GetProperty("adapters").EnumerateArray().Select(a => new AdapterStateInfo(
            a.GetProperty("using").GetString() ?? string.Empty,
            a.GetProperty("tenant").GetString() ?? string.Empty,
            a.GetProperty("dimension").GetInt32(),
            a.GetProperty("rank").GetInt32(),
            a.GetProperty("updates").GetInt64(),
            a.GetProperty("version").GetInt32(),
            a.GetProperty("replay_size").GetInt32(),
            [.. a.GetProperty("versions").EnumerateArray().Select(ReadAdapterVersion)])).ToList();
        return new AdapterInfo(options, adapters);
    }

    /// <summary>Writes a settings change (the client side of <see cref="ReadAdapterSettings"/>); null fields are left out.</summary>
    public static void WriteAdapterSettings(Utf8JsonWriter w, AdapterSettings s)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(s);
        w.WriteStartObject();
        if (s.Enabled is { } enabled)
        {
            w.WriteBoolean("enabled", enabled);
        }

        void Number(string name, double? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
        }

        Number("rank", s.Rank);
        Number("alpha", s.Alpha);
        Number("learning_rate", s.LearningRate);
        Number("ewc_lambda", s.EwcLambda);
        Number("replay_capacity", s.ReplayCapacity);
        Number("replay_batch", s.ReplayBatch);
        Number("negatives", s.Negatives);
        Number("temperature", s.Temperature);
        Number("consolidate_every", s.ConsolidateEvery);
        Number("ab_fraction", s.AbFraction);
        if (s.Reset)
        {
            w.WriteBoolean("reset", true);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes the body of …/adapter/consolidate (version null) or …/adapter/rollback.</summary>
    public static void WriteAdapterTarget(Utf8JsonWriter w, int? version, string? vectorName, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        if (version is { } v)
        {
            w.WriteNumber("version", v);
        }

        if (vectorName is not null)
        {
            w.WriteString("using", vectorName);
        }

        if (tenant is not null)
        {
            w.WriteString("tenant", tenant);
        }

        w.WriteEndObject();
    }
}
