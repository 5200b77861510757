using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] OptimizerFields =
    [
        "deleted_threshold", "vacuum_min_vector_number", "default_segment_number", "max_segment_size", "memmap_threshold",
        "indexing_threshold", "flush_interval_sec", "max_optimization_threads", "prevent_unoptimized",
    ];

    /// <summary>
    /// Checks a <c>PATCH /collections/{name}</c> body (Qdrant's UpdateCollection) for what RoseForest
    /// can honour. <c>optimizers_config</c> is accepted and has no effect: RoseForest has no
    /// segment optimizer (points are indexed as they are written), so the common bulk-load recipe of
    /// turning indexing off and on again works unchanged. <c>params</c> is accepted when it asks for
    /// what one node already is (one replica, write consistency 1, no read fan-out). Everything
    /// else (hnsw_config other than RoseForest's target_recall, vectors, quantization_config, sparse_vectors, strict_mode_config,
    /// metadata) changes how stored vectors are indexed or scored and needs a logged configuration
    /// change that is not built yet: refused with a 400 naming the field.
    /// </summary>
    public static void ReadCollectionUpdate(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "vectors", "optimizers_config", "params", "hnsw_config", "quantization_config", "sparse_vectors", "strict_mode_config", "metadata");
        if (JsonFields.Get(body, "optimizers_config") is { } optimizers && optimizers.ValueKind != JsonValueKind.Null)
        {
            JsonFields.Object(optimizers, "optimizers_config", OptimizerFields);
            foreach (var p in optimizers.EnumerateObject())
            {
                if (p.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null) && !(p.Name == "prevent_unoptimized" && p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False))
                {
                    throw new ValidationException($"optimizers_config.{p.Name}", $"expected a number, got {JsonFields.Kind(p.Value)}.");
                }
            }
        }

        if (JsonFields.Get(body, "params") is { } parameters && parameters.ValueKind != JsonValueKind.Null)
        {
            JsonFields.Object(parameters, "params", "replication_factor", "write_consistency_factor", "read_fan_out_factor", "read_fan_out_delay_ms", "on_disk_payload");
            if (JsonFields.Int(parameters, "replication_factor", "params", 1, int.MaxValue) is > 1)
            {
                throw new ValidationException("params.replication_factor", "a single RoseForest node keeps one replica; use cluster mode for replicas.");
            }

            if (JsonFields.Int(parameters, "write_consistency_factor", "params", 1, int.MaxValue) is > 1)
            {
                throw new ValidationException("params.write_consistency_factor", "a single RoseForest node has one replica to write to.");
            }

            _ = JsonFields.Int(parameters, "read_fan_out_factor", "params", 0, int.MaxValue);
            _ = JsonFields.Int(parameters, "read_fan_out_delay_ms", "params", 0, int.MaxValue);
            _ = JsonFields.Bool(parameters, "on_disk_payload", "params");
        }

        // hnsw_config may change RoseForest's target_recall (the controller's target, not how
        // stored vectors are indexed); any other hnsw_config field is still refused below.
        if (JsonFields.Get(body, "hnsw_config") is { ValueKind: JsonValueKind.Object } hnsw)
        {
            foreach (var p in hnsw.EnumerateObject())
            {
                if (p.Name != "target_recall")
                {
                    JsonFields.Object(hnsw, "hnsw_config", "m", "ef_construct", "full_scan_threshold", "max_indexing_threads", "on_disk", "payload_m", "inline_storage", "ef", "target_recall");
                    throw new ValidationException($"hnsw_config.{p.Name}", "changing this on an existing collection is not supported by RoseForest yet (only hnsw_config.target_recall is); create a new collection with it and switch an alias.");
                }
            }

            _ = ReadTargetRecall(hnsw, "hnsw_config");
        }

        foreach (var field in (string[])["vectors", "quantization_config", "sparse_vectors", "strict_mode_config", "metadata"])
        {
            if (JsonFields.Get(body, field) is { ValueKind: not JsonValueKind.Null })
            {
                throw new ValidationException(field, "changing this on an existing collection is not supported by RoseForest yet; create a new collection with it and switch an alias.");
            }
        }
    }
}
