using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>POST …/points/query and …/points/query/batch (Qdrant's universal query, nearest-neighbour part).</summary>
internal static class QueryEndpoints
{
    private static readonly string[] QueryFields =
    [
        "query", "using", "prefetch", "filter", "params", "score_threshold", "limit", "offset", "with_payload", "with_vector", "lookup_from", "shard_key",
    ];

    public static void Map(WebApplication app)
    {
        app.MapPost("/collections/{name}/points/query", static async (HttpContext context, string name, RoseForestDatabase db, ServerOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = await RequestJson.ReadBodyAsync(context);
            var (points, withPayload) = await RunAsync(collection, body, string.Empty, options, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => WriteResponse(w, points, withPayload));
        });

        app.MapPost("/collections/{name}/points/query/batch", static async (HttpContext context, string name, RoseForestDatabase db, ServerOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "searches");
            var searches = RequestJson.Get(body, "searches") ?? throw new ValidationException("searches", "is required.");
            if (searches.ValueKind != JsonValueKind.Array)
            {
                throw new ValidationException("searches", "expected an array of queries.");
            }

            if (searches.GetArrayLength() > options.MaxLimit)
            {
                throw new ValidationException("searches", $"at most {options.MaxLimit} queries per batch.");
            }

            var results = new List<(IReadOnlyList<ScoredPoint>, bool)>();
            var i = 0;
            foreach (var search in searches.EnumerateArray())
            {
                results.Add(await RunAsync(collection, search, $"searches[{i++}]", options, context.RequestAborted));
            }

            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                foreach (var (points, withPayload) in results)
                {
                    WriteResponse(w, points, withPayload);
                }

                w.WriteEndArray();
            });
        });
    }

    private static void WriteResponse(Utf8JsonWriter w, IReadOnlyList<ScoredPoint> points, bool withPayload)
    {
        w.WriteStartObject();
        w.WriteStartArray("points");
        foreach (var p in points)
        {
            QdrantJson.WriteScored(w, p, withPayload);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Runs one query: a vector, a point id (its stored vector; the point itself is left out), or
    /// {"nearest": …}; with no query, points in id order (score 0).
    /// </summary>
    private static async Task<(IReadOnlyList<ScoredPoint> Points, bool WithPayload)> RunAsync(Collection collection, JsonElement body, string field, ServerOptions options, CancellationToken ct)
    {
        RequestJson.Object(body, field, QueryFields);
        foreach (var unsupported in new[] { "prefetch", "lookup_from", "shard_key" })
        {
            if (RequestJson.Get(body, unsupported) is not null)
            {
                throw new ValidationException(RequestJson.Join(field, unsupported), "is not supported by RoseForest.");
            }
        }

        if (RequestJson.String(body, "using", field) is { } vectorName && vectorName.Length > 0)
        {
            throw new ValidationException(RequestJson.Join(field, "using"), "RoseForest collections have one unnamed vector.");
        }

        var limit = RequestJson.Int(body, "limit", field, 1, options.MaxLimit) ?? 10;
        var offset = RequestJson.Int(body, "offset", field, 0, options.MaxLimit) ?? 0;
        if (limit + offset > options.MaxLimit)
        {
            throw new ValidationException(RequestJson.Join(field, "offset"), $"limit + offset may be at most {options.MaxLimit}.");
        }

        var withPayload = QdrantJson.WithPayload(body, field, PayloadSelector.None);
        var withVector = QdrantJson.WithVector(body, field, false);
        var filter = QdrantJson.Filter(body, field);
        var threshold = RequestJson.Double(body, "score_threshold", field);
        var (ef, exact, quantization) = ParseParams(RequestJson.Get(body, "params"), RequestJson.Join(field, "params"));

        if (RequestJson.Get(body, "query") is not { } query)
        {
            var page = await collection.ScrollAsync(new ScrollRequest { Limit = limit + offset, Filter = filter, WithPayload = withPayload, WithVector = withVector }, ct);
            return ([.. page.Points.Skip(offset).Select(r => new ScoredPoint(r.Id, r.Version, 0, r.Vector, r.Payload))], withPayload.Enabled);
        }

        var queryField = RequestJson.Join(field, "query");
        if (query.ValueKind == JsonValueKind.Object)
        {
            RequestJson.Object(query, queryField, "nearest");
            query = RequestJson.Get(query, "nearest") ?? throw new ValidationException(queryField, "only {\"nearest\": …} queries are supported by RoseForest.");
            queryField += ".nearest";
        }

        float[] vector;
        if (query.ValueKind == JsonValueKind.Array)
        {
            vector = RequestJson.Vector(query, queryField);
        }
        else
        {
            var id = PointId.FromJson(query, queryField);
            var record = await collection.GetAsync(id, PayloadSelector.None, withVector: true, ct)
                ?? throw new NotFoundException($"No point with id {id} found");
            vector = record.Vector!;
            var notItself = Condition.HasId(id);
            filter = filter is null
                ? new Filter(mustNot: [notItself])
                : new Filter(must: [Condition.Nested(filter)], mustNot: [notItself]);
        }

        var request = new SearchRequest
        {
            Vector = vector,
            Limit = limit,
            Offset = offset,
            Filter = filter,
            ScoreThreshold = threshold,
            WithPayload = withPayload,
            WithVector = withVector,
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
        return (await collection.SearchAsync(request, ct), withPayload.Enabled);
    }

    private static (int? Ef, bool Exact, QuantizationSearchParams? Quantization) ParseParams(JsonElement? parameters, string field)
    {
        if (parameters is not { } p)
        {
            return (null, false, null);
        }

        RequestJson.Object(p, field, "hnsw_ef", "exact", "quantization", "indexed_only", "acorn");
        QuantizationSearchParams? quantization = null;
        if (RequestJson.Get(p, "quantization") is { } q)
        {
            RequestJson.Object(q, $"{field}.quantization", "ignore", "rescore", "oversampling");
            var oversampling = RequestJson.Double(q, "oversampling", $"{field}.quantization");
            if (oversampling is < 1)
            {
                throw new ValidationException($"{field}.quantization.oversampling", "must be at least 1.");
            }

            quantization = new QuantizationSearchParams
            {
                Ignore = RequestJson.Bool(q, "ignore", $"{field}.quantization") ?? false,
                Rescore = RequestJson.Bool(q, "rescore", $"{field}.quantization") ?? true,
                Oversampling = oversampling ?? new QuantizationSearchParams().Oversampling,
            };
        }

        return (RequestJson.Int(p, "hnsw_ef", field, 1, 65536), RequestJson.Bool(p, "exact", field) ?? false, quantization);
    }
}
