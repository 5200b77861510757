using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RoseForest.Cluster.Catalog;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Cluster.Http;

/// <summary>
/// The cluster's middleware, after the REST API's (so its errors get the same envelope and its
/// routes the same API keys): it turns Qdrant's cluster parameters of a request into the
/// <see cref="ClusterRequest"/> the router reads (<c>consistency</c>, <c>ordering</c>,
/// <c>shard_key</c>, the create-collection settings, the consistency token header) and removes
/// <c>shard_key</c> from bodies so the REST adapter reads them as usual; it answers a
/// <see cref="ClusterUnavailableException"/> with 503; and it serves the peers' view of this
/// node's local engine under <c>/cluster/local/</c> (reads only).
/// </summary>
internal sealed class ClusterMiddleware(RequestDelegate next, ClusterNode node)
{
    public const string TokenHeader = "x-roseforest-consistency-token";
    public const string IdempotencyHeader = "x-roseforest-idempotency-key";
    private static readonly byte[] ShardKeyBytes = "\"shard_key\""u8.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/cluster/local", out var rest))
            {
                await LocalPeerView.InvokeAsync(context, rest, node, next).ConfigureAwait(false);
                return;
            }

            if (!path.StartsWithSegments("/collections"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var request = await ReadRequestAsync(context).ConfigureAwait(false);
            context.Response.OnStarting(() =>
            {
                if (request.ResultToken is { } token)
                {
                    context.Response.Headers[TokenHeader] = token.ToString();
                }

                return Task.CompletedTask;
            });
            using (ClusterRequest.Begin(request))
            {
                await next(context).ConfigureAwait(false);
            }
        }
        catch (ClusterUnavailableException e)
        {
            await ClusterJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"Service unavailable: {e.Message}").ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException e) when (!context.Response.HasStarted)
        {
            // PostgreSQL unreachable or failing over (no primary yet): the cluster is unavailable, not broken.
            await ClusterJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"Service unavailable: the cluster's PostgreSQL did not answer: {e.Message}").ConfigureAwait(false);
        }
    }

    private static async Task<ClusterRequest> ReadRequestAsync(HttpContext context)
    {
        var query = context.Request.Query;
        ReadConsistency? consistency = query.TryGetValue("consistency", out var c) ? ReadConsistency.Parse(c.ToString()) : null;
        if (query.TryGetValue("ordering", out var ordering) && ordering.ToString() is not ("weak" or "medium" or "strong"))
        {
            throw new ValidationException("ordering", $"expected weak, medium or strong, got '{ordering}'.");
        }

        var tokenText = context.Request.Headers[TokenHeader].ToString();
        if (tokenText.Length == 0 && query.TryGetValue("consistency_token", out var q))
        {
            tokenText = q.ToString();
        }

        var token = tokenText.Length > 0 ? ConsistencyToken.Parse(tokenText) : null;
        if (consistency is { Mode: ReadConsistencyMode.Session } && token is null)
        {
            throw new ValidationException("consistency", "session reads need the consistency token of the writes to wait for (header x-roseforest-consistency-token).");
        }

        string? shardKey = null;
        ClusterCollectionSettings? settings = null;
        if (HttpMethods.IsPut(context.Request.Method) && IsCollectionRoot(context.Request.Path))
        {
            settings = await ReadCreateSettingsAsync(context).ConfigureAwait(false);
        }
        else if (!HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.Value!.EndsWith("/shards", StringComparison.Ordinal))
        {
            shardKey = await TakeShardKeyAsync(context).ConfigureAwait(false);
        }

        int? probe = null;
        if (query.TryGetValue("probe", out var probeText))
        {
            probe = int.TryParse(probeText.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p >= 1
                ? p
                : throw new ValidationException("probe", $"expected a number of shards (1 or more), got '{probeText}'.");
        }

        var idempotency = context.Request.Headers[IdempotencyHeader].ToString();
        return new ClusterRequest
        {
            Probe = probe,
            Consistency = consistency,
            Token = token,
            ShardKey = shardKey,
            CreateSettings = settings,
            IdempotencyKey = idempotency.Length > 0 ? idempotency : null,
        };
    }

    private static bool IsCollectionRoot(PathString path) =>
        path.Value is { } p && p.Count(ch => ch == '/') == 2 && p.Length > "/collections/".Length;

    /// <summary>Reads shard_number, replication_factor, write_consistency_factor and sharding_method, leaving the body for the REST adapter.</summary>
    private static async Task<ClusterCollectionSettings> ReadCreateSettingsAsync(HttpContext context)
    {
        var bytes = await BufferAsync(context).ConfigureAwait(false);
        var body = bytes.Length == 0 ? default : JsonFields.ParseBody(bytes);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ClusterCollectionSettings(1, 1, 1, ShardingMethod.Auto);
        }

        var sharding = JsonFields.String(body, "sharding_method", string.Empty) switch
        {
            null or "auto" => ShardingMethod.Auto,
            "custom" => ShardingMethod.Custom,
            "locality" => ShardingMethod.Locality,
            var other => throw new ValidationException("sharding_method", $"expected auto, custom or locality (RoseForest's), got '{other}'."),
        };
        var rf = JsonFields.Int(body, "replication_factor", string.Empty, 1, 16) ?? 1;
        var settings = new ClusterCollectionSettings(
            JsonFields.Int(body, "shard_number", string.Empty, 1, ClusterDatabase.MaxShards) ?? (sharding == ShardingMethod.Custom ? 1 : 0),
            rf,
            JsonFields.Int(body, "write_consistency_factor", string.Empty, 1, 16) ?? 1,
            sharding);
        return settings;
    }

    /// <summary>Removes a top-level <c>shard_key</c> from the body and returns its JSON text.</summary>
    private static async Task<string?> TakeShardKeyAsync(HttpContext context)
    {
        var bytes = await BufferAsync(context).ConfigureAwait(false);
        if (bytes.AsSpan().IndexOf(ShardKeyBytes) < 0)
        {
            return null;
        }

        var body = JsonFields.ParseBody(bytes);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("shard_key", out var key))
        {
            return null;
        }

        if (key.ValueKind == JsonValueKind.Array)
        {
            key = key.GetArrayLength() == 1 ? key[0] : throw new ValidationException("shard_key", "give one shard key per request.");
        }

        if (key.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || (key.ValueKind == JsonValueKind.Number && !key.TryGetUInt64(out _)))
        {
            throw new ValidationException("shard_key", "a shard key is a string or a non-negative integer.");
        }

        var rewritten = QdrantJson.ToUtf8(w =>
        {
            w.WriteStartObject();
            foreach (var p in body.EnumerateObject())
            {
                if (p.Name != "shard_key")
                {
                    p.WriteTo(w);
                }
            }

            w.WriteEndObject();
        });
        context.Request.Body = new MemoryStream(rewritten);
        context.Request.ContentLength = rewritten.Length;
        return key.GetRawText();
    }

    /// <summary>Reads the body into memory and puts an equal stream back for the endpoint.</summary>
    private static async Task<byte[]> BufferAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        context.Request.Body = new MemoryStream(bytes);
        return bytes;
    }

    /// <summary>Formats a sequence for a header.</summary>
    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
