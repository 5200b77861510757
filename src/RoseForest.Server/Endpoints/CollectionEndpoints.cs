using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RoseForest.Engine;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>Collections: list, create, info, delete, exists.</summary>
internal static class CollectionEndpoints
{
    /// <summary>Fields of Qdrant's CreateCollection that RoseForest accepts; the ones it cannot honour are checked below.</summary>
    private static readonly string[] CreateFields =
    [
        "vectors", "hnsw_config", "quantization_config", "wal_config", "optimizers_config", "shard_number", "sharding_method",
        "replication_factor", "write_consistency_factor", "on_disk_payload", "sparse_vectors", "strict_mode_config", "metadata",
        "durability", "flush_interval_ms",
    ];

    public static void Map(WebApplication app)
    {
        app.MapGet("/collections", static async (HttpContext context, RoseForestDatabase db) =>
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("collections");
                foreach (var name in db.ListCollections())
                {
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));

        app.MapPut("/collections/{name}", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            CollectionOptions.ValidateName(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, CreateFields);
            await db.CreateCollectionAsync(name, ParseCreate(body), context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, true);
        });

        app.MapGet("/collections/{name}", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            // A faulted collection still answers here, with status "red" and the reason, so its
            // owner can see why every other call on it answers 503.
            var info = db.GetCollectionInfo(name);
            var open = info.Status == CollectionStatus.Faulted && !db.TryGetCollection(name, out _) ? null : db.GetCollection(name);
            var options = open?.Options ?? db.GetFaultedOptions(name);
            await ApiResponse.WriteResultAsync(context, w => WriteInfo(w, info, options, open?.IndexedPoints ?? 0));
        });

        app.MapPost("/collections/{name}/recover", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            var salvage = RequestJson.QueryBool(context, "salvage", false);
            var collection = await db.RecoverCollectionAsync(name, salvage, context.RequestAborted);
            var recovery = collection.Recovery;
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "green");
                w.WriteNumber("points_count", collection.GetInfo().PointsCount);
                w.WriteNumber("records_replayed", recovery?.Wal.RecordsReplayed ?? 0);
                w.WriteNumber("records_quarantined", recovery?.Quarantined.Count ?? 0);
                w.WriteEndObject();
            });
        });

        app.MapDelete("/collections/{name}", static async (HttpContext context, string name, RoseForestDatabase db) =>
            await ApiResponse.WriteResultAsync(context, await db.DeleteCollectionAsync(name, context.RequestAborted)));

        app.MapGet("/collections/{name}/exists", static async (HttpContext context, string name, RoseForestDatabase db) =>
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("exists", db.CollectionExists(name));
                w.WriteEndObject();
            }));
    }

    internal static CollectionOptions ParseCreate(JsonElement body)
    {
        var vectors = RequestJson.Get(body, "vectors") ?? throw new ValidationException("vectors", "is required: {\"size\": N, \"distance\": \"Cosine\"}.");
        if (vectors.ValueKind == JsonValueKind.Object && !vectors.TryGetProperty("size", out _) && !vectors.TryGetProperty("distance", out _))
        {
            throw new ValidationException("vectors", "named vectors are not supported by RoseForest; give one {\"size\", \"distance\"}.");
        }

        RequestJson.Object(vectors, "vectors", "size", "distance", "hnsw_config", "quantization_config", "on_disk", "datatype", "multivector_config", "curvature");
        var size = RequestJson.Int(vectors, "size", "vectors", 1, CollectionOptions.MaxDimension) ?? throw new ValidationException("vectors.size", "is required.");
        var distance = RequestJson.String(vectors, "distance", "vectors") ?? throw new ValidationException("vectors.distance", "is required.");
        var geometry = GeometryInfo.Parse(distance, "vectors.distance");
        if (RequestJson.String(vectors, "datatype", "vectors") is { } datatype && datatype != "float32")
        {
            throw new ValidationException("vectors.datatype", $"only float32 is supported, got {datatype}.");
        }

        if (RequestJson.Get(vectors, "multivector_config") is not null)
        {
            throw new ValidationException("vectors.multivector_config", "multivectors are not supported by RoseForest.");
        }

        if (RequestJson.Get(body, "sparse_vectors") is { } sparse && sparse.ValueKind == JsonValueKind.Object && sparse.EnumerateObject().Any())
        {
            throw new ValidationException("sparse_vectors", "sparse vectors are not supported by RoseForest.");
        }

        var curvature = RequestJson.Double(vectors, "curvature", "vectors") ?? GeometryInfo.DefaultCurvature;
        var hnsw = ParseHnsw(RequestJson.Get(vectors, "hnsw_config") ?? RequestJson.Get(body, "hnsw_config"));
        var quantization = ParseQuantization(RequestJson.Get(vectors, "quantization_config") ?? RequestJson.Get(body, "quantization_config"));
        var durability = RequestJson.String(body, "durability", string.Empty) switch
        {
            null or "sync" => Durability.Sync,
            "buffered" => Durability.Buffered,
            "memory" => Durability.Memory,
            var other => throw new ValidationException("durability", $"expected sync, buffered or memory, got {other}."),
        };
        var flush = RequestJson.Int(body, "flush_interval_ms", string.Empty, 1, 10_000) ?? 10;
        return new CollectionOptions
        {
            Dimension = size,
            Geometry = geometry,
            Curvature = curvature,
            Durability = durability,
            FlushInterval = TimeSpan.FromMilliseconds(flush),
            Hnsw = hnsw,
            Quantization = quantization,
        };
    }

    private static HnswOptions? ParseHnsw(JsonElement? config)
    {
        if (config is not { } c)
        {
            return new HnswOptions();
        }

        const string field = "hnsw_config";
        RequestJson.Object(c, field, "m", "ef_construct", "full_scan_threshold", "max_indexing_threads", "on_disk", "payload_m", "inline_storage", "ef");
        var defaults = new HnswOptions();
        var m = RequestJson.Int(c, "m", field, 0, 128) ?? defaults.M;
        if (m == 0)
        {
            return null; // Qdrant: m = 0 turns the index off.
        }

        return new HnswOptions
        {
            M = m,
            EfConstruct = RequestJson.Int(c, "ef_construct", field, 4, 4096) ?? defaults.EfConstruct,
            FullScanThreshold = RequestJson.Int(c, "full_scan_threshold", field, 0, int.MaxValue) ?? defaults.FullScanThreshold,
            MaxIndexingThreads = RequestJson.Int(c, "max_indexing_threads", field, 0, 1024) ?? 0,
            Ef = RequestJson.Int(c, "ef", field, 1, 65536),
        };
    }

    private static QuantizationOptions? ParseQuantization(JsonElement? config)
    {
        if (config is not { } c)
        {
            return null;
        }

        const string field = "quantization_config";
        RequestJson.Object(c, field, "scalar", "product", "binary");
        if (RequestJson.Get(c, "product") is not null || RequestJson.Get(c, "binary") is not null)
        {
            throw new ValidationException(field, "only scalar (int8) quantization is supported by RoseForest.");
        }

        var scalar = RequestJson.Get(c, "scalar") ?? throw new ValidationException(field, "expected {\"scalar\": {\"type\": \"int8\"}}.");
        RequestJson.Object(scalar, $"{field}.scalar", "type", "quantile", "always_ram");
        if (RequestJson.String(scalar, "type", $"{field}.scalar") != "int8")
        {
            throw new ValidationException($"{field}.scalar.type", "must be \"int8\".");
        }

        return new QuantizationOptions
        {
            Quantile = RequestJson.Double(scalar, "quantile", $"{field}.scalar") ?? 0.99,
            AlwaysRam = RequestJson.Bool(scalar, "always_ram", $"{field}.scalar") ?? true,
        };
    }

    private static void WriteInfo(Utf8JsonWriter w, CollectionInfo info, CollectionOptions? options, long indexed)
    {
        var faulted = info.Status == CollectionStatus.Faulted;
        w.WriteStartObject();
        w.WriteString("status", faulted ? "red" : "green");
        if (faulted)
        {
            // Qdrant's OptimizersStatus is "ok" or {"error": "..."}: the reason goes there.
            w.WriteStartObject("optimizer_status");
            w.WriteString("error", info.Fault);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("optimizer_status", "ok");
        }

        w.WriteNumber("indexed_vectors_count", indexed);
        w.WriteNumber("points_count", info.PointsCount);
        w.WriteNumber("segments_count", 1);
        if (options is not { } o)
        {
            w.WriteStartObject("roseforest");
            w.WriteString("fault", info.Fault);
            w.WriteEndObject();
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("config");
        w.WriteStartObject("params");
        w.WriteStartObject("vectors");
        w.WriteNumber("size", o.Dimension);
        w.WriteString("distance", GeometryInfo.QdrantName(o.Geometry));
        if (GeometryInfo.IsHyperbolic(o.Geometry))
        {
            w.WriteNumber("curvature", o.Curvature);
        }

        w.WriteEndObject();
        w.WriteNumber("shard_number", 1);
        w.WriteNumber("replication_factor", 1);
        w.WriteNumber("write_consistency_factor", 1);
        w.WriteBoolean("on_disk_payload", false);
        w.WriteEndObject();
        w.WriteStartObject("hnsw_config");
        w.WriteNumber("m", o.Hnsw?.M ?? 0);
        w.WriteNumber("ef_construct", o.Hnsw?.EfConstruct ?? 100);
        w.WriteNumber("full_scan_threshold", o.Hnsw?.FullScanThreshold ?? 10_000);
        w.WriteNumber("max_indexing_threads", o.Hnsw?.MaxIndexingThreads ?? 0);
        w.WriteBoolean("on_disk", false);
        w.WriteEndObject();
        w.WriteStartObject("optimizer_config");
        w.WriteNumber("deleted_threshold", 0.1);
        w.WriteNumber("vacuum_min_vector_number", 64);
        w.WriteNumber("default_segment_number", 1);
        w.WriteNull("max_segment_size");
        w.WriteNull("memmap_threshold");
        w.WriteNumber("indexing_threshold", 0);
        w.WriteNumber("flush_interval_sec", o.FlushInterval.TotalSeconds);
        w.WriteNull("max_optimization_threads");
        w.WriteEndObject();
        w.WriteStartObject("wal_config");
        w.WriteNumber("wal_capacity_mb", o.WalSegmentBytes >> 20);
        w.WriteNumber("wal_segments_ahead", 0);
        w.WriteEndObject();
        if (o.Quantization is { } q)
        {
            w.WriteStartObject("quantization_config");
            w.WriteStartObject("scalar");
            w.WriteString("type", "int8");
            w.WriteNumber("quantile", q.Quantile);
            w.WriteBoolean("always_ram", q.AlwaysRam);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("quantization_config");
        }

        w.WriteEndObject();
        w.WriteStartObject("payload_schema");
        w.WriteEndObject();
        w.WriteStartObject("roseforest");
        w.WriteString("geometry", GeometryInfo.Name(o.Geometry));
        w.WriteNumber("curvature", o.Curvature);
        w.WriteString("durability", o.Durability.ToString().ToLowerInvariant());
        w.WriteNumber("last_lsn", info.LastLsn);
        w.WriteNumber("bytes_on_disk", info.BytesOnDisk);
        w.WriteNumber("bytes_in_memory", info.BytesInMemory);
        w.WriteNumber("quarantined_records", info.QuarantinedRecords);
        if (info.Fault is not null)
        {
            w.WriteString("fault", info.Fault);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
