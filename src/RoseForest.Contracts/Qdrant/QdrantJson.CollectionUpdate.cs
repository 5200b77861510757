using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] OptimizerFields =
    [
        "deleted_threshold", "vacuum_min_vector_number", "default_segment_number", "max_segment_size", "memmap_threshold",
        "indexing_threshold", "flush_interval_sec", "max_optimization_threads", "prevent_unoptimized",
    ];

    /// <summary>Qdrant 1.19's StrictModeConfig fields: each a boolean, a number or (the last two) an object.</summary>
    private static readonly string[] StrictModeFields =
    [
        "enabled", "max_query_limit", "max_timeout", "unindexed_filtering_retrieve", "unindexed_filtering_update",
        "search_max_hnsw_ef", "search_allow_exact", "search_max_oversampling", "upsert_max_batchsize", "search_max_batchsize",
        "max_collection_vector_size_bytes", "read_rate_limit", "write_rate_limit", "max_collection_payload_size_bytes",
        "max_points_count", "filter_max_conditions", "condition_max_size", "max_payload_index_count", "max_resident_memory_percent",
        "multivector_config", "sparse_config",
    ];

    private static readonly string[] StrictModeBooleans = ["enabled", "unindexed_filtering_retrieve", "unindexed_filtering_update", "search_allow_exact"];

    /// <summary>
    /// Reads a <c>PATCH /collections/{name}</c> body (Qdrant's UpdateCollection). <c>hnsw_config</c>,
    /// <c>vectors</c> (per vector: <c>hnsw_config</c>, <c>quantization_config</c>, <c>on_disk</c>),
    /// <c>quantization_config</c> (scalar or <c>"Disabled"</c>), <c>sparse_vectors</c> (modifier and
    /// index), <c>strict_mode_config</c> and <c>metadata</c> become a <see cref="CollectionUpdate"/>.
    /// <c>optimizers_config</c> is checked and has no effect: RoseForest has no segment optimizer
    /// (points are indexed as they are written). <c>params</c> is accepted when it asks for what one
    /// node already is (one replica, write consistency 1). RoseForest's <c>hnsw_config.target_recall</c>
    /// (the self-organizing controller's target) is checked here and read by
    /// <see cref="ReadCollectionUpdateTuning"/>; it is not part of the update.
    /// </summary>
    public static CollectionUpdate ReadCollectionUpdate(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "vectors", "optimizers_config", "params", "hnsw_config", "quantization_config", "sparse_vectors", "strict_mode_config", "metadata");
        if (JsonFields.Get(body, "optimizers_config") is { } optimizers)
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

        if (JsonFields.Get(body, "params") is { } parameters)
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

        Dictionary<string, VectorParamsUpdate>? vectors = null;
        if (JsonFields.Get(body, "vectors") is { } v)
        {
            if (v.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("vectors", $"expected an object of vector name → changes, got {JsonFields.Kind(v)}.");
            }

            vectors = new Dictionary<string, VectorParamsUpdate>(StringComparer.Ordinal);
            foreach (var p in v.EnumerateObject())
            {
                var f = $"vectors.{p.Name}";
                JsonFields.Object(p.Value, f, "hnsw_config", "quantization_config", "on_disk", "memory");
                _ = JsonFields.String(p.Value, "memory", f);
                vectors[p.Name] = new VectorParamsUpdate
                {
                    Hnsw = ReadHnswUpdate(JsonFields.Get(p.Value, "hnsw_config"), $"{f}.hnsw_config"),
                    Quantization = ReadQuantizationUpdate(JsonFields.Get(p.Value, "quantization_config"), $"{f}.quantization_config"),
                    OnDisk = JsonFields.Bool(p.Value, "on_disk", f),
                };
            }
        }

        Dictionary<string, SparseVectorParamsUpdate>? sparse = null;
        if (JsonFields.Get(body, "sparse_vectors") is { } sv)
        {
            if (sv.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("sparse_vectors", $"expected an object of sparse vector name → changes, got {JsonFields.Kind(sv)}.");
            }

            sparse = new Dictionary<string, SparseVectorParamsUpdate>(StringComparer.Ordinal);
            foreach (var p in sv.EnumerateObject())
            {
                var f = $"sparse_vectors.{p.Name}";
                JsonFields.Object(p.Value, f, "index", "modifier");
                long? threshold = null;
                bool? onDisk = null;
                if (JsonFields.Get(p.Value, "index") is { } index)
                {
                    JsonFields.Object(index, $"{f}.index", "full_scan_threshold", "on_disk", "memory", "datatype");
                    threshold = JsonFields.Int(index, "full_scan_threshold", $"{f}.index", 0, int.MaxValue);
                    onDisk = JsonFields.Bool(index, "on_disk", $"{f}.index");
                    _ = JsonFields.String(index, "memory", $"{f}.index");
                    _ = JsonFields.String(index, "datatype", $"{f}.index");
                }

                sparse[p.Name] = new SparseVectorParamsUpdate
                {
                    Modifier = JsonFields.String(p.Value, "modifier", f) switch
                    {
                        null => null,
                        "none" => SparseModifier.None,
                        "idf" => SparseModifier.Idf,
                        var other => throw new ValidationException($"{f}.modifier", $"expected none or idf, got {other}."),
                    },
                    FullScanThreshold = threshold,
                    OnDisk = onDisk,
                };
            }
        }

        return new CollectionUpdate
        {
            Hnsw = ReadHnswUpdate(JsonFields.Get(body, "hnsw_config"), "hnsw_config"),
            Quantization = ReadQuantizationUpdate(JsonFields.Get(body, "quantization_config"), "quantization_config"),
            Vectors = vectors,
            SparseVectors = sparse,
            StrictModeConfig = JsonFields.Get(body, "strict_mode_config") is { } sm ? ReadStrictMode(sm) : null,
            Metadata = JsonFields.Get(body, "metadata") is { } md ? ReadMetadata(md) : null,
        };
    }

    /// <summary>Writes a <see cref="CollectionUpdate"/> as the PATCH body <see cref="ReadCollectionUpdate"/> reads back into the same update.</summary>
    public static void WriteCollectionUpdate(Utf8JsonWriter w, CollectionUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        w.WriteStartObject();
        if (u.Hnsw is { } h)
        {
            WriteHnswUpdate(w, "hnsw_config", h);
        }

        if (u.Quantization is { } q)
        {
            WriteQuantizationUpdate(w, q);
        }

        if (u.Vectors is { Count: > 0 } vectors)
        {
            w.WriteStartObject("vectors");
            foreach (var (name, p) in vectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                if (p.Hnsw is { } vh)
                {
                    WriteHnswUpdate(w, "hnsw_config", vh);
                }

                if (p.Quantization is { } vq)
                {
                    WriteQuantizationUpdate(w, vq);
                }

                if (p.OnDisk is { } onDisk)
                {
                    w.WriteBoolean("on_disk", onDisk);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        if (u.SparseVectors is { Count: > 0 } sparse)
        {
            w.WriteStartObject("sparse_vectors");
            foreach (var (name, p) in sparse.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                if (p.Modifier is { } m)
                {
                    w.WriteString("modifier", m == SparseModifier.Idf ? "idf" : "none");
                }

                if (p.FullScanThreshold is not null || p.OnDisk is not null)
                {
                    w.WriteStartObject("index");
                    if (p.FullScanThreshold is { } t)
                    {
                        w.WriteNumber("full_scan_threshold", t);
                    }

                    if (p.OnDisk is { } od)
                    {
                        w.WriteBoolean("on_disk", od);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        if (u.StrictModeConfig is { } strict)
        {
            w.WritePropertyName("strict_mode_config");
            strict.WriteTo(w);
        }

        if (u.Metadata is { } metadata)
        {
            w.WritePropertyName("metadata");
            metadata.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>Reads Qdrant's VectorNameConfig, the body of <c>PUT /collections/{name}/vectors/{vector_name}</c>: <c>{"dense": {size, distance, multivector_config?, datatype?}}</c> or <c>{"sparse": {modifier?, datatype?}}</c>.</summary>
    public static VectorNameConfig ReadVectorNameConfig(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "dense", "sparse");
        var dense = JsonFields.Get(body, "dense");
        var sparse = JsonFields.Get(body, "sparse");
        if ((dense is null) == (sparse is null))
        {
            throw new ValidationException("dense", "give exactly one of {\"dense\": {\"size\": N, \"distance\": \"Cosine\"}} and {\"sparse\": {}}.");
        }

        if (dense is { } d)
        {
            // RoseForest's curvature (hyperbolic geometries) and embed (a text model) are accepted here as at creation.
            JsonFields.Object(d, "dense", "size", "distance", "multivector_config", "datatype", "curvature", "embed");
            return VectorNameConfig.ForDense(ReadVectorParams(d, "dense"));
        }

        var s = sparse!.Value;
        JsonFields.Object(s, "sparse", "modifier", "datatype");
        var datatype = JsonFields.String(s, "datatype", "sparse");
        if (datatype is not (null or "float32" or "float16" or "uint8"))
        {
            throw new ValidationException("sparse.datatype", $"expected float32, float16 or uint8, got {datatype}.");
        }

        return VectorNameConfig.ForSparse(new SparseVectorParams
        {
            Modifier = JsonFields.String(s, "modifier", "sparse") switch
            {
                null or "none" => SparseModifier.None,
                "idf" => SparseModifier.Idf,
                var other => throw new ValidationException("sparse.modifier", $"expected none or idf, got {other}."),
            },
        });
    }

    /// <summary>Writes a VectorNameConfig that <see cref="ReadVectorNameConfig"/> reads back.</summary>
    public static void WriteVectorNameConfig(Utf8JsonWriter w, VectorNameConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        w.WriteStartObject();
        if (config.Dense is { } p)
        {
            w.WriteStartObject("dense");
            w.WriteNumber("size", p.Size);
            w.WriteString("distance", GeometryInfo.QdrantName(p.Distance));
            if (GeometryInfo.IsHyperbolic(p.Distance))
            {
                w.WriteNumber("curvature", p.Curvature);
            }

            if (p.Datatype != VectorDatatype.Float32)
            {
                w.WriteString("datatype", p.Datatype == VectorDatatype.Float16 ? "float16" : "uint8");
            }

            if (p.Multivector is not null)
            {
                w.WriteStartObject("multivector_config");
                w.WriteString("comparator", "max_sim");
                w.WriteEndObject();
            }

            if (p.Embed is { } model)
            {
                w.WriteStartObject("embed");
                w.WriteString("model", model);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject("sparse");
            if (config.Sparse!.Modifier == SparseModifier.Idf)
            {
                w.WriteString("modifier", "idf");
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static HnswUpdate? ReadHnswUpdate(JsonElement? config, string field)
    {
        if (config is not { } c)
        {
            return null;
        }

        JsonFields.Object(c, field, "m", "ef_construct", "full_scan_threshold", "max_indexing_threads", "on_disk", "memory", "payload_m", "inline_storage", "ef", "target_recall");
        if (JsonFields.Get(c, "target_recall") is not null && field != "hnsw_config")
        {
            throw new ValidationException($"{field}.target_recall", "the recall target is a collection setting: give it in the top-level hnsw_config.");
        }

        _ = ReadTargetRecall(c, field);
        _ = JsonFields.Bool(c, "on_disk", field);
        _ = JsonFields.String(c, "memory", field);
        _ = JsonFields.Int(c, "payload_m", field, 0, 128);
        _ = JsonFields.Bool(c, "inline_storage", field);
        var update = new HnswUpdate
        {
            M = JsonFields.Int(c, "m", field, 0, 128),
            EfConstruct = JsonFields.Int(c, "ef_construct", field, 4, 4096),
            FullScanThreshold = JsonFields.Int(c, "full_scan_threshold", field, 10, int.MaxValue),
            MaxIndexingThreads = JsonFields.Int(c, "max_indexing_threads", field, 0, 1024),
            Ef = JsonFields.Int(c, "ef", field, 1, 65536),
        };

        // Only target_recall (or nothing the engine keeps) given: no configuration change to log.
        return update is { M: null, EfConstruct: null, FullScanThreshold: null, MaxIndexingThreads: null, Ef: null } ? null : update;
    }

    private static void WriteHnswUpdate(Utf8JsonWriter w, string name, HnswUpdate h)
    {
        w.WriteStartObject(name);
        if (h.M is { } m)
        {
            w.WriteNumber("m", m);
        }

        if (h.EfConstruct is { } efc)
        {
            w.WriteNumber("ef_construct", efc);
        }

        if (h.FullScanThreshold is { } t)
        {
            w.WriteNumber("full_scan_threshold", t);
        }

        if (h.MaxIndexingThreads is { } threads)
        {
            w.WriteNumber("max_indexing_threads", threads);
        }

        if (h.Ef is { } ef)
        {
            w.WriteNumber("ef", ef);
        }

        w.WriteEndObject();
    }

    /// <summary>Qdrant's QuantizationConfigDiff: <c>{"scalar": …}</c> or the string <c>"Disabled"</c>; product, binary and turbo are refused as at creation.</summary>
    private static QuantizationUpdate? ReadQuantizationUpdate(JsonElement? config, string field)
    {
        if (config is not { } c)
        {
            return null;
        }

        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString() == "Disabled"
                ? new QuantizationUpdate { Disabled = true }
                : throw new ValidationException(field, $"expected \"Disabled\" or {{\"scalar\": …}}, got \"{c.GetString()}\".");
        }

        if (c.ValueKind == JsonValueKind.Object && JsonFields.Get(c, "turbo") is not null)
        {
            throw new ValidationException(field, "only scalar (int8) quantization is supported by RoseForest.");
        }

        return new QuantizationUpdate { Scalar = ReadQuantization(c, field) };
    }

    private static void WriteQuantizationUpdate(Utf8JsonWriter w, QuantizationUpdate q)
    {
        if (q.Disabled || q.Scalar is null)
        {
            w.WriteString("quantization_config", "Disabled");
        }
        else
        {
            WriteQuantization(w, q.Scalar);
        }
    }

    /// <summary>Checks a strict_mode_config object against Qdrant's field names and value kinds; returns it as given.</summary>
    private static JsonElement ReadStrictMode(JsonElement sm)
    {
        JsonFields.Object(sm, "strict_mode_config", StrictModeFields);
        foreach (var p in sm.EnumerateObject())
        {
            var field = $"strict_mode_config.{p.Name}";
            var ok = p.Value.ValueKind switch
            {
                JsonValueKind.Null => true,
                JsonValueKind.True or JsonValueKind.False => Array.IndexOf(StrictModeBooleans, p.Name) >= 0,
                JsonValueKind.Number => Array.IndexOf(StrictModeBooleans, p.Name) < 0 && p.Name is not ("multivector_config" or "sparse_config") && p.Value.GetDouble() >= 0,
                JsonValueKind.Object => p.Name is "multivector_config" or "sparse_config",
                _ => false,
            };
            if (!ok)
            {
                throw new ValidationException(field, $"unexpected {JsonFields.Kind(p.Value)}.");
            }
        }

        return sm.Clone();
    }

    private static JsonElement ReadMetadata(JsonElement md) =>
        md.ValueKind == JsonValueKind.Object ? md.Clone() : throw new ValidationException("metadata", $"expected an object, got {JsonFields.Kind(md)}.");
}
