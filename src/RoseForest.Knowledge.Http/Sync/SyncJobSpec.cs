using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>What a sync job does (the body of <c>POST /sync/jobs</c>; docs/api.md, "Sync jobs").</summary>
internal sealed record SyncJobSpec
{
    /// <summary>The other server's base URL.</summary>
    public required Uri Remote { get; init; }

    /// <summary>The other server's API key, sent as <c>api-key</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>full</c>, <c>partial</c> or <c>selective</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>The collections (partial: required; selective: optional, default all; full: ignored, all).</summary>
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>Selective: the payload filter (Qdrant's filter JSON, compact text).</summary>
    public string? Filter { get; init; }

    /// <summary>Whether the knowledge state is synced too.</summary>
    public bool Knowledge { get; init; }

    /// <summary>How concurrent versions of a point are read.</summary>
    public ConflictStrategy Strategy { get; init; }

    /// <summary>Run again every <see cref="Interval"/> until stopped.</summary>
    public bool Continuous { get; init; }

    /// <summary>The pause between runs of a continuous job.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most changes per batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Pull the remote's changes.</summary>
    public bool Pull { get; init; } = true;

    /// <summary>Push this node's changes.</summary>
    public bool Push { get; init; } = true;

    /// <summary>The checkpoint key: empty, or for selective sync a hash of the filter (a different filter reads the feed from the start).</summary>
    public string CheckpointKey => Filter is null ? string.Empty : "f:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Filter)))[..16];

    /// <summary>Reads and checks a job description; throws <see cref="ValidationException"/> naming the field.</summary>
    public static SyncJobSpec Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException("body", "must be a JSON object.");
        }

        string[] known = ["remote", "api_key", "mode", "collections", "filter", "knowledge", "strategy", "continuous", "interval_ms", "batch_size", "direction"];
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new ValidationException(property.Name, $"unknown field; expected one of {string.Join(", ", known)}.");
            }
        }

        var remoteText = Text(body, "remote") ?? throw new ValidationException("remote", "is required: the other server's base URL.");
        if (!Uri.TryCreate(remoteText.EndsWith('/') ? remoteText : remoteText + "/", UriKind.Absolute, out var remote) || remote.Scheme is not ("http" or "https"))
        {
            throw new ValidationException("remote", $"must be an http(s) URL, got '{remoteText}'.");
        }

        var mode = Text(body, "mode") ?? "full";
        if (mode is not ("full" or "partial" or "selective"))
        {
            throw new ValidationException("mode", $"must be full, partial or selective, got '{mode}'.");
        }

        var collections = new List<string>();
        if (body.TryGetProperty("collections", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new ValidationException("collections", "must be an array of collection names.");
            }

            foreach (var item in list.EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new ValidationException("collections", "must hold strings.");
                CollectionOptions.ValidateName(name);
                if (SyncHub.IsInternal(name))
                {
                    throw new ValidationException("collections", $"`{name}` is internal to each node and is not synced.");
                }

                collections.Add(name);
            }
        }

        if (mode == "partial" && collections.Count == 0)
        {
            throw new ValidationException("collections", "partial sync needs the collections to sync.");
        }

        string? filter = null;
        if (body.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null)
        {
            if (mode != "selective")
            {
                throw new ValidationException("filter", "is for mode selective.");
            }

            QdrantFilter.Read(f);
            filter = JsonSerializer.Serialize(f);
        }
        else if (mode == "selective")
        {
            throw new ValidationException("filter", "selective sync needs a payload filter.");
        }

        var direction = Text(body, "direction") ?? "both";
        if (direction is not ("both" or "pull" or "push"))
        {
            throw new ValidationException("direction", $"must be both, pull or push, got '{direction}'.");
        }

        var interval = Integer(body, "interval_ms", 1000, 10, 3_600_000);
        return new SyncJobSpec
        {
            Remote = remote,
            ApiKey = Text(body, "api_key"),
            Mode = mode,
            Collections = collections,
            Filter = filter,
            Knowledge = body.TryGetProperty("knowledge", out var k) ? k.ValueKind == JsonValueKind.True || (k.ValueKind != JsonValueKind.False ? throw new ValidationException("knowledge", "must be true or false.") : false) : mode == "full",
            Strategy = StrategyNames.Parse(Text(body, "strategy")),
            Continuous = body.TryGetProperty("continuous", out var c) && (c.ValueKind == JsonValueKind.True || (c.ValueKind != JsonValueKind.False ? throw new ValidationException("continuous", "must be true or false.") : false)),
            Interval = TimeSpan.FromMilliseconds(interval),
            BatchSize = (int)Integer(body, "batch_size", 256, 1, 10_000),
            Pull = direction != "push",
            Push = direction != "pull",
        };
    }

    /// <summary>Writes the description back (with the API key left out).</summary>
    public void Write(Utf8JsonWriter w, bool includeApiKey)
    {
        w.WriteString("remote", Remote.ToString());
        if (includeApiKey && ApiKey is not null)
        {
            w.WriteString("api_key", ApiKey);
        }

        w.WriteString("mode", Mode);
        w.WriteStartArray("collections");
        foreach (var c in Collections)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        if (Filter is not null)
        {
            w.WritePropertyName("filter");
            w.WriteRawValue(Filter);
        }

        w.WriteBoolean("knowledge", Knowledge);
        w.WriteString("strategy", StrategyNames.Name(Strategy));
        w.WriteBoolean("continuous", Continuous);
        w.WriteNumber("interval_ms", (long)Interval.TotalMilliseconds);
        w.WriteNumber("batch_size", BatchSize);
        w.WriteString("direction", Pull && Push ? "both" : Pull ? "pull" : "push");
    }

    private static string? Text(JsonElement body, string name)
        => !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new ValidationException(name, "must be a string.");

    private static long Integer(JsonElement body, string name, long fallback, long min, long max)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return v.TryGetInt64(out var n) && n >= min && n <= max ? n : throw new ValidationException(name, $"must be an integer from {min} to {max}.");
    }
}
