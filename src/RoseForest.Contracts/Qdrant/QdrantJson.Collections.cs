using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>Fields of Qdrant's CreateCollection that RoseForest accepts; the ones it cannot honour are refused below.</summary>
    private static readonly string[] CreateFields =
    [
        "vectors", "hnsw_config", "quantization_config", "wal_config", "optimizers_config", "shard_number", "sharding_method",
        "replication_factor", "write_consistency_factor", "on_disk_payload", "sparse_vectors", "strict_mode_config", "metadata",
        "durability", "flush_interval_ms",
    ];

    /// <summary>PUT /collections/{name}: Qdrant's CreateCollection plus RoseForest's <c>durability</c>, <c>flush_interval_ms</c> and <c>vectors.curvature</c>.</summary>
    public static CollectionOptions ReadCreateCollection(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, CreateFields);
        var vectors = JsonFields.Get(body, "vectors");
        var sparse = JsonFields.Get(body, "sparse_vectors") is { } sv ? ReadSparseConfigs(sv, "sparse_vectors") : new Dictionary<string, SparseVectorParams>();
        if (vectors is null && sparse.Count == 0)
        {
            throw new ValidationException("vectors", "is required: {\"size\": N, \"distance\": \"Cosine\"}, or named vectors, or sparse_vectors.");
        }

        var collectionHnsw = ReadHnsw(JsonFields.Get(body, "hnsw_config"), "hnsw_config", allowOff: true);
        var collectionQuantization = ReadQuantization(JsonFields.Get(body, "quantization_config"), "quantization_config");
        VectorParams? unnamed = null;
        var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        if (vectors is { } v)
        {
            if (v.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("vectors", $"expected an object, got {JsonFields.Kind(v)}.");
            }

            if (v.TryGetProperty("size", out _) || v.TryGetProperty("distance", out _))
            {
                unnamed = ReadVectorParams(v, "vectors");
            }
            else
            {
                foreach (var p in v.EnumerateObject())
                {
                    // "" in the map is Qdrant's default vector: the unnamed one.
                    if (p.Name.Length == 0)
                    {
                        unnamed = ReadVectorParams(p.Value, "vectors.");
                    }
                    else
                    {
                        named[p.Name] = ReadVectorParams(p.Value, $"vectors.{p.Name}");
                    }
                }
            }
        }

        var durability = JsonFields.String(body, "durability", string.Empty) switch
        {
            null or "sync" => Durability.Sync,
            "buffered" => Durability.Buffered,
            "memory" => Durability.Memory,
            var other => throw new ValidationException("durability", $"expected sync, buffered or memory, got {other}."),
        };
        var flush = JsonFields.Int(body, "flush_interval_ms", string.Empty, 1, 10_000) ?? 10;
        return new CollectionOptions
        {
            Dimension = unnamed?.Size ?? 0,
            Geometry = unnamed?.Distance ?? Geometry.Cosine,
            Curvature = unnamed?.Curvature ?? GeometryInfo.DefaultCurvature,
            Datatype = unnamed?.Datatype ?? VectorDatatype.Float32,
            Multivector = unnamed?.Multivector,
            Durability = durability,
            FlushInterval = TimeSpan.FromMilliseconds(flush),

            // The unnamed vector's own settings win over the collection's, as in Qdrant.
            Hnsw = unnamed?.Hnsw is { } h ? (h.M == 0 ? null : h) : collectionHnsw,
            Quantization = unnamed?.Quantization ?? collectionQuantization,
            NamedVectors = named,
            SparseVectors = sparse,
            StrictModeConfig = JsonFields.Get(body, "strict_mode_config") is { } sm ? ReadStrictMode(sm) : null,
            Metadata = JsonFields.Get(body, "metadata") is { } md ? ReadMetadata(md) : null,
        };
    }

    private static VectorParams ReadVectorParams(JsonElement v, string field)
    {
        JsonFields.Object(v, field, "size", "distance", "hnsw_config", "quantization_config", "on_disk", "datatype", "multivector_config", "curvature", "embed");
        string? embed = null;
        if (JsonFields.Get(v, "embed") is { } e)
        {
            JsonFields.Object(e, $"{field}.embed", "model");
            embed = JsonFields.String(e, "model", $"{field}.embed");
            if (string.IsNullOrWhiteSpace(embed))
            {
                throw new ValidationException($"{field}.embed.model", "is required: the name of an embedding model this server has.");
            }
        }

        var size = JsonFields.Int(v, "size", field, 1, CollectionOptions.MaxDimension) ?? throw new ValidationException($"{field}.size", "is required.");
        var distance = JsonFields.String(v, "distance", field) ?? throw new ValidationException($"{field}.distance", "is required.");
        var datatype = JsonFields.String(v, "datatype", field) switch
        {
            null or "float32" => VectorDatatype.Float32,
            "float16" => VectorDatatype.Float16,
            "uint8" => VectorDatatype.Uint8,
            var other => throw new ValidationException($"{field}.datatype", $"expected float32, float16 or uint8, got {other}."),
        };
        MultivectorComparator? multivector = null;
        if (JsonFields.Get(v, "multivector_config") is { } mc)
        {
            JsonFields.Object(mc, $"{field}.multivector_config", "comparator");
            multivector = JsonFields.String(mc, "comparator", $"{field}.multivector_config") switch
            {
                "max_sim" => MultivectorComparator.MaxSim,
                var other => throw new ValidationException($"{field}.multivector_config.comparator", $"expected max_sim, got {other ?? "nothing"}."),
            };
        }

        return new VectorParams
        {
            Size = size,
            Distance = GeometryInfo.Parse(distance, $"{field}.distance"),
            Curvature = JsonFields.Double(v, "curvature", field) ?? GeometryInfo.DefaultCurvature,
            Hnsw = JsonFields.Get(v, "hnsw_config") is { } h ? ReadHnsw(h, $"{field}.hnsw_config", allowOff: true) ?? new HnswOptions { M = 0 } : null,
            Quantization = ReadQuantization(JsonFields.Get(v, "quantization_config"), $"{field}.quantization_config"),
            OnDisk = JsonFields.Bool(v, "on_disk", field),
            Datatype = datatype,
            Multivector = multivector,
            Embed = embed,
        };
    }

    private static Dictionary<string, SparseVectorParams> ReadSparseConfigs(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"expected an object of sparse vector name → parameters, got {JsonFields.Kind(v)}.");
        }

        var result = new Dictionary<string, SparseVectorParams>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            var f = $"{field}.{p.Name}";
            JsonFields.Object(p.Value, f, "index", "modifier");
            long? threshold = null;
            bool? onDisk = null;
            if (JsonFields.Get(p.Value, "index") is { } index)
            {
                JsonFields.Object(index, $"{f}.index", "full_scan_threshold", "on_disk", "datatype");
                threshold = JsonFields.Int(index, "full_scan_threshold", $"{f}.index", 0, int.MaxValue);
                onDisk = JsonFields.Bool(index, "on_disk", $"{f}.index");
                _ = JsonFields.String(index, "datatype", $"{f}.index");
            }

            result[p.Name] = new SparseVectorParams
            {
                Modifier = JsonFields.String(p.Value, "modifier", f) switch
                {
                    null or "none" => SparseModifier.None,
                    "idf" => SparseModifier.Idf,
                    var other => throw new ValidationException($"{f}.modifier", $"expected none or idf, got {other}."),
                },
                OnDisk = onDisk,
                FullScanThreshold = threshold,
            };
        }

        return result;
    }

    /// <summary>Writes a CreateCollection body that <see cref="ReadCreateCollection"/> reads back into the same options.</summary>
    public static void WriteCreateCollection(Utf8JsonWriter w, CollectionOptions o)
    {
        w.WriteStartObject();
        WriteVectorsConfig(w, o);
        WriteHnsw(w, "hnsw_config", o.Hnsw);
        if (o.Quantization is { } q)
        {
            WriteQuantization(w, q);
        }

        if (o.StrictModeConfig is { } strict)
        {
            w.WritePropertyName("strict_mode_config");
            strict.WriteTo(w);
        }

        if (o.Metadata is { } metadata)
        {
            w.WritePropertyName("metadata");
            metadata.WriteTo(w);
        }

        w.WriteString("durability", DurabilityName(o.Durability));
        w.WriteNumber("flush_interval_ms", (long)o.FlushInterval.TotalMilliseconds);
        w.WriteEndObject();
    }

    /// <summary>GET /collections: <c>{"collections": [{"name"}]}</c>.</summary>
    public static void WriteCollectionList(Utf8JsonWriter w, IReadOnlyList<string> names)
    {
        w.WriteStartObject();
        w.WriteStartArray("collections");
        foreach (var name in names)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads the collection list.</summary>
    public static IReadOnlyList<string> ReadCollectionList(JsonElement e) =>
        [.. e.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    /// <summary>
    /// Qdrant's CollectionInfo, plus a <c>roseforest</c> object with the settings Qdrant has no
    /// field for. A faulted collection says <c>status: "red"</c> with the reason in
    /// <c>optimizer_status.error</c> (Qdrant's schema: "ok" or {"error": …}).
    /// </summary>
    public static void WriteCollectionInfo(Utf8JsonWriter w, CollectionInfo info)
    {
        var faulted = info.Status == CollectionStatus.Faulted;
        w.WriteStartObject();
        w.WriteString("status", faulted ? "red" : "green");
        if (faulted)
        {
            w.WriteStartObject("optimizer_status");
            w.WriteString("error", info.Fault);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("optimizer_status", "ok");
        }

        w.WriteNumber("indexed_vectors_count", info.IndexedVectorsCount);
        w.WriteNumber("points_count", info.PointsCount);
        w.WriteNumber("segments_count", 1);
        if (info.Options is { } o)
        {
            WriteConfig(w, o);
        }

        WritePayloadSchema(w, info.PayloadSchema);
        w.WriteStartObject("roseforest");
        w.WriteString("geometry", GeometryInfo.Name(info.Geometry));
        w.WriteNumber("curvature", info.Curvature);
        w.WriteString("durability", DurabilityName(info.Durability));
        w.WriteNumber("dimension", info.Dimension);
        w.WriteNumber("last_lsn", info.LastLsn);
        w.WriteNumber("bytes_on_disk", info.BytesOnDisk);
        w.WriteNumber("bytes_in_memory", info.BytesInMemory);
        w.WriteNumber("quarantined_records", info.QuarantinedRecords);
        if (info.Options is { } options)
        {
            w.WriteNumber("flush_interval_ms", (long)options.FlushInterval.TotalMilliseconds);
            w.WriteNumber("wal_segment_bytes", options.WalSegmentBytes);
            w.WriteNumber("checkpoint_wal_bytes", options.CheckpointWalBytes);
            if (options.Hnsw?.Ef is { } ef)
            {
                w.WriteNumber("hnsw_ef", ef);
            }

            if (options.Hnsw?.TargetRecall is { } target)
            {
                w.WriteNumber("hnsw_target_recall", target);
            }
        }

        if (info.Telemetry is { } telemetry)
        {
            w.WritePropertyName("telemetry");
            WriteTelemetry(w, telemetry);
        }

        if (info.Fault is not null)
        {
            w.WriteString("fault", info.Fault);
        }

        if (info.LastSnapshotError is not null)
        {
            w.WriteString("last_snapshot_error", info.LastSnapshotError);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Reads a CollectionInfo written by <see cref="WriteCollectionInfo"/> (the collection's name is not in Qdrant's shape: give it).</summary>
    public static CollectionInfo ReadCollectionInfo(string name, JsonElement e)
    {
        var rf = e.GetProperty("roseforest");
        var geometry = GeometryInfo.Parse(rf.GetProperty("geometry").GetString()!, "geometry");
        var durability = ParseDurability(rf.GetProperty("durability").GetString());
        CollectionOptions? options = null;
        if (JsonFields.Get(e, "config") is { } config)
        {
            // The config's params hold vectors and sparse_vectors in CreateCollection's shape.
            var parameters = config.GetProperty("params");
            var hnsw = config.GetProperty("hnsw_config");
            var m = hnsw.GetProperty("m").GetInt32();
            var collectionHnsw = m == 0 ? null : new HnswOptions
            {
                M = m,
                EfConstruct = hnsw.GetProperty("ef_construct").GetInt32(),
                FullScanThreshold = hnsw.GetProperty("full_scan_threshold").GetInt64(),
                MaxIndexingThreads = hnsw.GetProperty("max_indexing_threads").GetInt32(),
                Ef = JsonFields.Get(rf, "hnsw_ef")?.GetInt32(),
                TargetRecall = JsonFields.Get(rf, "hnsw_target_recall")?.GetDouble(),
            };
            var collectionQuantization = JsonFields.Get(config, "quantization_config") is { } q ? ReadQuantization(q, "quantization_config") : null;
            VectorParams? unnamed = null;
            var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
            var vectors = parameters.GetProperty("vectors");
            if (vectors.TryGetProperty("size", out _))
            {
                unnamed = ReadVectorParams(vectors, "vectors");
            }
            else
            {
                foreach (var v in vectors.EnumerateObject())
                {
                    if (v.Name.Length == 0)
                    {
                        unnamed = ReadVectorParams(v.Value, "vectors.");
                    }
                    else
                    {
                        named[v.Name] = ReadVectorParams(v.Value, $"vectors.{v.Name}");
                    }
                }
            }

            options = new CollectionOptions
            {
                Dimension = unnamed?.Size ?? 0,
                Geometry = unnamed?.Distance ?? Geometry.Cosine,
                Curvature = unnamed?.Curvature ?? GeometryInfo.DefaultCurvature,
                Datatype = unnamed?.Datatype ?? VectorDatatype.Float32,
                Multivector = unnamed?.Multivector,
                Durability = durability,
                FlushInterval = TimeSpan.FromMilliseconds(rf.GetProperty("flush_interval_ms").GetInt64()),
                WalSegmentBytes = rf.GetProperty("wal_segment_bytes").GetInt64(),
                CheckpointWalBytes = rf.GetProperty("checkpoint_wal_bytes").GetInt64(),
                Hnsw = collectionHnsw,
                Quantization = collectionQuantization,
                NamedVectors = named,
                SparseVectors = JsonFields.Get(parameters, "sparse_vectors") is { } sv ? ReadSparseConfigs(sv, "sparse_vectors") : new Dictionary<string, SparseVectorParams>(),
                StrictModeConfig = JsonFields.Get(config, "strict_mode_config")?.Clone(),
                Metadata = JsonFields.Get(config, "metadata")?.Clone(),
            };
        }

        var faulted = e.GetProperty("status").GetString() == "red";
        return new CollectionInfo(
            name,
            e.GetProperty("points_count").GetInt64(),
            rf.GetProperty("dimension").GetInt32(),
            geometry,
            rf.GetProperty("curvature").GetDouble(),
            durability,
            rf.GetProperty("last_lsn").GetInt64(),
            rf.GetProperty("bytes_on_disk").GetInt64(),
            rf.GetProperty("bytes_in_memory").GetInt64())
        {
            Status = faulted ? CollectionStatus.Faulted : CollectionStatus.Green,
            Fault = JsonFields.Get(rf, "fault")?.GetString(),
            LastSnapshotError = JsonFields.Get(rf, "last_snapshot_error")?.GetString(),
            QuarantinedRecords = rf.GetProperty("quarantined_records").GetInt32(),
            IndexedVectorsCount = e.GetProperty("indexed_vectors_count").GetInt64(),
            Options = options,
            PayloadSchema = JsonFields.Get(e, "payload_schema") is { } ps ? ReadPayloadSchema(ps) : new Dictionary<string, PayloadIndexInfo>(),
            Telemetry = JsonFields.Get(rf, "telemetry") is { } t ? ReadTelemetry(t) : null,
        };
    }

    /// <summary>POST /collections/{name}/recover's answer.</summary>
    public static void WriteRecovery(Utf8JsonWriter w, RecoveryResult r)
    {
        w.WriteStartObject();
        w.WriteString("status", "green");
        w.WriteNumber("points_count", r.PointsCount);
        w.WriteNumber("records_replayed", r.RecordsReplayed);
        w.WriteNumber("records_quarantined", r.RecordsQuarantined);
        w.WriteEndObject();
    }

    /// <summary>Reads a recovery answer.</summary>
    public static RecoveryResult ReadRecovery(JsonElement e) =>
        new(e.GetProperty("points_count").GetInt64(), e.GetProperty("records_replayed").GetInt64(), e.GetProperty("records_quarantined").GetInt32());

    private static void WriteConfig(Utf8JsonWriter w, CollectionOptions o)
    {
        w.WriteStartObject("config");
        w.WriteStartObject("params");
        WriteVectorsConfig(w, o);
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

        // Qdrant's schema has an integer here: whole seconds, rounded up (10 ms → 1).
        w.WriteNumber("flush_interval_sec", (long)Math.Ceiling(o.FlushInterval.TotalSeconds));
        w.WriteNull("max_optimization_threads");
        w.WriteEndObject();
        w.WriteStartObject("wal_config");
        w.WriteNumber("wal_capacity_mb", o.WalSegmentBytes >> 20);
        w.WriteNumber("wal_segments_ahead", 0);
        w.WriteEndObject();
        if (o.Quantization is { } q)
        {
            WriteQuantization(w, q);
        }
        else
        {
            w.WriteNull("quantization_config");
        }

        if (o.StrictModeConfig is { } strict)
        {
            w.WritePropertyName("strict_mode_config");
            strict.WriteTo(w);
        }

        if (o.Metadata is { } metadata)
        {
            w.WritePropertyName("metadata");
            metadata.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// <c>"vectors"</c> (Qdrant's VectorParams when the collection has the unnamed vector, else a
    /// map of name → VectorParams) and <c>"sparse_vectors"</c> when it has any.
    /// </summary>
    private static void WriteVectorsConfig(Utf8JsonWriter w, CollectionOptions o)
    {
        var unnamed = new VectorParams { Size = o.Dimension, Distance = o.Geometry, Curvature = o.Curvature, Datatype = o.Datatype, Multivector = o.Multivector };
        if (o.Dimension > 0 && o.NamedVectors.Count == 0)
        {
            w.WritePropertyName("vectors");
            WriteVectorParams(w, unnamed, o);
        }
        else
        {
            // With named vectors beside it, the unnamed vector is the map's "" entry, as in Qdrant.
            w.WriteStartObject("vectors");
            if (o.Dimension > 0)
            {
                w.WritePropertyName(string.Empty);
                WriteVectorParams(w, unnamed, o);
            }

            foreach (var (name, p) in o.NamedVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(name);
                WriteVectorParams(w, p, o);
            }

            w.WriteEndObject();
        }

        if (o.SparseVectors.Count > 0)
        {
            w.WriteStartObject("sparse_vectors");
            foreach (var (name, p) in o.SparseVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                if (p.Modifier == SparseModifier.Idf)
                {
                    w.WriteString("modifier", "idf");
                }

                if (p.OnDisk is not null || p.FullScanThreshold is not null)
                {
                    w.WriteStartObject("index");
                    if (p.FullScanThreshold is { } t)
                    {
                        w.WriteNumber("full_scan_threshold", t);
                    }

                    if (p.OnDisk is { } onDisk)
                    {
                        w.WriteBoolean("on_disk", onDisk);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
    }

    /// <summary>One VectorParams: size, distance, RoseForest's curvature for hyperbolic geometries, and what differs from the defaults.</summary>
    private static void WriteVectorParams(Utf8JsonWriter w, VectorParams p, CollectionOptions collection)
    {
        w.WriteStartObject();
        w.WriteNumber("size", p.Size);
        w.WriteString("distance", GeometryInfo.QdrantName(p.Distance));
        if (GeometryInfo.IsHyperbolic(p.Distance))
        {
            w.WriteNumber("curvature", p.Curvature);
        }

        if (p.Hnsw is { } h && !ReferenceEquals(h, collection.Hnsw))
        {
            WriteHnsw(w, "hnsw_config", h);
        }

        if (p.Quantization is { } q && !ReferenceEquals(q, collection.Quantization))
        {
            WriteQuantization(w, q);
        }

        if (p.OnDisk is { } onDisk)
        {
            w.WriteBoolean("on_disk", onDisk);
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

    private static void WriteHnsw(Utf8JsonWriter w, string name, HnswOptions? h)
    {
        w.WriteStartObject(name);
        w.WriteNumber("m", h?.M ?? 0);
        if (h is { M: > 0 })
        {
            w.WriteNumber("ef_construct", h.EfConstruct);
            w.WriteNumber("full_scan_threshold", h.FullScanThreshold);
            w.WriteNumber("max_indexing_threads", h.MaxIndexingThreads);
            if (h.Ef is { } ef)
            {
                w.WriteNumber("ef", ef);
            }

            if (h.TargetRecall is { } target)
            {
                w.WriteNumber("target_recall", target);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteQuantization(Utf8JsonWriter w, QuantizationOptions q)
    {
        w.WriteStartObject("quantization_config");
        w.WriteStartObject("scalar");
        w.WriteString("type", "int8");
        w.WriteNumber("quantile", q.Quantile);
        w.WriteBoolean("always_ram", q.AlwaysRam);
        if (q.ProjectionRank is { } rank)
        {
            w.WriteNumber("projection_rank", rank);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static HnswOptions? ReadHnsw(JsonElement? config, string field, bool allowOff)
    {
        if (config is not { } c)
        {
            return new HnswOptions();
        }

        JsonFields.Object(c, field, "m", "ef_construct", "full_scan_threshold", "max_indexing_threads", "on_disk", "payload_m", "inline_storage", "ef", "target_recall");
        var defaults = new HnswOptions();
        var m = JsonFields.Int(c, "m", field, 0, 128) ?? defaults.M;
        if (m == 0)
        {
            return null; // Qdrant: m = 0 turns the index off.
        }

        return new HnswOptions
        {
            M = m,
            EfConstruct = JsonFields.Int(c, "ef_construct", field, 4, 4096) ?? defaults.EfConstruct,
            FullScanThreshold = JsonFields.Int(c, "full_scan_threshold", field, 0, int.MaxValue) ?? defaults.FullScanThreshold,
            MaxIndexingThreads = JsonFields.Int(c, "max_indexing_threads", field, 0, 1024) ?? 0,
            Ef = JsonFields.Int(c, "ef", field, 1, 65536),
            TargetRecall = ReadTargetRecall(c, field),
        };
    }

    private static QuantizationOptions? ReadQuantization(JsonElement? config, string field)
    {
        if (config is not { } c)
        {
            return null;
        }

        JsonFields.Object(c, field, "scalar", "product", "binary");
        if (JsonFields.Get(c, "product") is not null || JsonFields.Get(c, "binary") is not null)
        {
            throw new ValidationException(field, "only scalar (int8) quantization is supported by RoseForest.");
        }

        var scalar = JsonFields.Get(c, "scalar") ?? throw new ValidationException(field, "expected {\"scalar\": {\"type\": \"int8\"}}.");
        JsonFields.Object(scalar, $"{field}.scalar", "type", "quantile", "always_ram", "projection_rank");
        if (JsonFields.String(scalar, "type", $"{field}.scalar") != "int8")
        {
            throw new ValidationException($"{field}.scalar.type", "must be \"int8\".");
        }

        return new QuantizationOptions
        {
            Quantile = JsonFields.Double(scalar, "quantile", $"{field}.scalar") ?? 0.99,
            AlwaysRam = JsonFields.Bool(scalar, "always_ram", $"{field}.scalar") ?? true,
            ProjectionRank = JsonFields.Int(scalar, "projection_rank", $"{field}.scalar", 1, 65535),
        };
    }

    private static string DurabilityName(Durability d) => d switch
    {
        Durability.Buffered => "buffered",
        Durability.Memory => "memory",
        _ => "sync",
    };

    private static Durability ParseDurability(string? name) => name switch
    {
        "buffered" => Durability.Buffered,
        "memory" => Durability.Memory,
        _ => Durability.Sync,
    };
}
