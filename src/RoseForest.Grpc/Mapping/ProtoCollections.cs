using System.Buffers;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>
/// Collection settings and descriptions. CreateCollection is written as Qdrant's REST
/// CreateCollection JSON and read by <see cref="QdrantJson.ReadCreateCollection"/>, so a collection
/// is created with the same defaults, the same checks and the same refusals (product or binary
/// quantization, …) through either door; it is a cold path. The answers are mapped directly.
/// </summary>
internal static class ProtoCollections
{
    public static CollectionOptions ToOptions(G.CreateCollection c)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (c.VectorsConfig?.ConfigCase ?? G.VectorsConfig.ConfigOneofCase.None)
            {
                case G.VectorsConfig.ConfigOneofCase.Params:
                    w.WritePropertyName("vectors");
                    WriteParams(w, c.VectorsConfig!.Params, "vectors_config.params");
                    break;
                case G.VectorsConfig.ConfigOneofCase.ParamsMap:
                    w.WriteStartObject("vectors");
                    foreach (var (name, p) in c.VectorsConfig!.ParamsMap.Map)
                    {
                        w.WritePropertyName(name);
                        WriteParams(w, p, $"vectors_config.params_map.{name}");
                    }

                    w.WriteEndObject();
                    break;
            }

            if (c.SparseVectorsConfig is { } sparse)
            {
                WriteSparse(w, sparse);
            }

            if (c.HnswConfig is { } hnsw)
            {
                w.WritePropertyName("hnsw_config");
                WriteHnsw(w, hnsw);
            }

            if (c.QuantizationConfig is { } q)
            {
                w.WritePropertyName("quantization_config");
                WriteQuantization(w, q, "quantization_config");
            }

            if (c.HasDurability)
            {
                w.WriteString("durability", c.Durability);
            }

            if (c.HasFlushIntervalMs)
            {
                w.WriteNumber("flush_interval_ms", c.FlushIntervalMs);
            }

            if (c.HasShardNumber && c.ShardNumber > 1)
            {
                w.WriteNumber("shard_number", c.ShardNumber);
            }

            if (c.HasReplicationFactor && c.ReplicationFactor > 1)
            {
                w.WriteNumber("replication_factor", c.ReplicationFactor);
            }

            w.WriteEndObject();
        }

        return QdrantJson.ReadCreateCollection(JsonElement.Parse(buffer.WrittenSpan));
    }

    /// <summary>UpdateCollection, written as REST's PATCH body and read by <see cref="QdrantJson.ReadCollectionUpdate"/> (the same checks and refusals as REST).</summary>
    public static CollectionUpdate ToUpdate(G.UpdateCollection u)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (u.Params is { } p)
            {
                w.WriteStartObject("params");
                if (p.HasReplicationFactor)
                {
                    w.WriteNumber("replication_factor", p.ReplicationFactor);
                }

                if (p.HasWriteConsistencyFactor)
                {
                    w.WriteNumber("write_consistency_factor", p.WriteConsistencyFactor);
                }

                w.WriteEndObject();
            }

            if (u.HnswConfig is { } hnsw)
            {
                w.WritePropertyName("hnsw_config");
                WriteHnsw(w, hnsw);
            }

            if (u.QuantizationConfig is { } q)
            {
                w.WritePropertyName("quantization_config");
                WriteQuantizationDiff(w, q, "quantization_config");
            }

            if (u.VectorsConfig is { } vectors)
            {
                w.WriteStartObject("vectors");
                if (vectors.ConfigCase == G.VectorsConfigDiff.ConfigOneofCase.Params)
                {
                    w.WritePropertyName(string.Empty);
                    WriteParamsDiff(w, vectors.Params, "vectors_config.params");
                }
                else if (vectors.ConfigCase == G.VectorsConfigDiff.ConfigOneofCase.ParamsMap)
                {
                    foreach (var (name, diff) in vectors.ParamsMap.Map)
                    {
                        w.WritePropertyName(name);
                        WriteParamsDiff(w, diff, $"vectors_config.params_map.{name}");
                    }
                }

                w.WriteEndObject();
            }

            if (u.SparseVectorsConfig is { } sparse)
            {
                WriteSparse(w, sparse);
            }

            if (u.StrictModeConfig is { } strict)
            {
                // Proto3's JSON with the proto field names: Qdrant's REST names. 64-bit numbers come as strings there.
                var json = JsonElement.Parse(new Google.Protobuf.JsonFormatter(Google.Protobuf.JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true)).Format(strict));
                w.WriteStartObject("strict_mode_config");
                foreach (var f in json.EnumerateObject())
                {
                    w.WritePropertyName(f.Name);
                    if (f.Value.ValueKind == JsonValueKind.String && long.TryParse(f.Value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                    {
                        w.WriteNumberValue(n);
                    }
                    else
                    {
                        f.Value.WriteTo(w);
                    }
                }

                w.WriteEndObject();
            }

            if (u.Metadata.Count > 0)
            {
                w.WritePropertyName("metadata");
                ProtoValues.ToJsonObject(u.Metadata, "metadata").WriteTo(w);
            }

            w.WriteEndObject();
        }

        return QdrantJson.ReadCollectionUpdate(JsonElement.Parse(buffer.WrittenSpan));
    }

    /// <summary>CreateVectorName's config, as REST's VectorNameConfig body.</summary>
    public static VectorNameConfig ToVectorNameConfig(G.CreateVectorNameRequest r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (r.VectorConfigCase)
            {
                case G.CreateVectorNameRequest.VectorConfigOneofCase.DenseConfig:
                    var d = r.DenseConfig;
                    var p = new G.VectorParams { Size = d.Size, Distance = d.Distance, MultivectorConfig = d.MultivectorConfig };
                    if (d.HasDatatype)
                    {
                        p.Datatype = d.Datatype;
                    }

                    w.WritePropertyName("dense");
                    WriteParams(w, p, "dense_config");
                    break;
                case G.CreateVectorNameRequest.VectorConfigOneofCase.SparseConfig:
                    w.WriteStartObject("sparse");
                    if (r.SparseConfig.HasModifier)
                    {
                        w.WriteString("modifier", r.SparseConfig.Modifier == G.Modifier.Idf ? "idf" : "none");
                    }

                    w.WriteEndObject();
                    break;
            }

            w.WriteEndObject();
        }

        return QdrantJson.ReadVectorNameConfig(JsonElement.Parse(buffer.WrittenSpan));
    }

    private static void WriteSparse(Utf8JsonWriter w, G.SparseVectorConfig sparse)
    {
        w.WriteStartObject("sparse_vectors");
        foreach (var (name, p) in sparse.Map)
        {
            w.WriteStartObject(name);
            if (p.Index is { } index)
            {
                w.WriteStartObject("index");
                if (index.HasFullScanThreshold)
                {
                    w.WriteNumber("full_scan_threshold", index.FullScanThreshold);
                }

#pragma warning disable CS0612 // on_disk is deprecated in Qdrant's schema and still sent.
                if (index.HasOnDisk)
                {
                    w.WriteBoolean("on_disk", index.OnDisk);
                }
#pragma warning restore CS0612
                w.WriteEndObject();
            }

            if (p.HasModifier)
            {
                w.WriteString("modifier", p.Modifier == G.Modifier.Idf ? "idf" : "none");
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteParamsDiff(Utf8JsonWriter w, G.VectorParamsDiff p, string field)
    {
        w.WriteStartObject();
        if (p.HnswConfig is { } h)
        {
            w.WritePropertyName("hnsw_config");
            WriteHnsw(w, h);
        }

        if (p.QuantizationConfig is { } q)
        {
            w.WritePropertyName("quantization_config");
            WriteQuantizationDiff(w, q, $"{field}.quantization_config");
        }

#pragma warning disable CS0612 // on_disk is deprecated in Qdrant's schema and still sent.
        if (p.HasOnDisk)
        {
            w.WriteBoolean("on_disk", p.OnDisk);
        }
#pragma warning restore CS0612
        w.WriteEndObject();
    }

    private static void WriteQuantizationDiff(Utf8JsonWriter w, G.QuantizationConfigDiff q, string field)
    {
        switch (q.QuantizationCase)
        {
            case G.QuantizationConfigDiff.QuantizationOneofCase.Disabled:
                w.WriteStringValue("Disabled");
                break;
            case G.QuantizationConfigDiff.QuantizationOneofCase.Scalar:
                WriteQuantization(w, new G.QuantizationConfig { Scalar = q.Scalar }, field);
                break;
            default:
                throw new ValidationException(field, "only scalar (int8) quantization is supported by RoseForest.");
        }
    }

    private static void WriteParams(Utf8JsonWriter w, G.VectorParams p, string field)
    {
        w.WriteStartObject();
        w.WriteNumber("size", p.Size);
        w.WriteString("distance", p.Distance switch
        {
            G.Distance.Cosine => "Cosine",
            G.Distance.Euclid => "Euclid",
            G.Distance.Dot => "Dot",
            G.Distance.Manhattan => "Manhattan",
            G.Distance.Poincare => "Poincare",
            G.Distance.Lorentz => "Lorentz",
            _ => throw new ValidationException($"{field}.distance", "is required: Cosine, Euclid, Dot, Manhattan, or RoseForest's Poincare or Lorentz."),
        });
        if (p.HasCurvature)
        {
            if (!double.IsFinite(p.Curvature))
            {
                throw new ValidationException($"{field}.curvature", "must be a finite number.");
            }

            w.WriteNumber("curvature", p.Curvature);
        }
        if (p.HnswConfig is { } h)
        {
            w.WritePropertyName("hnsw_config");
            WriteHnsw(w, h);
        }

        if (p.QuantizationConfig is { } q)
        {
            w.WritePropertyName("quantization_config");
            WriteQuantization(w, q, $"{field}.quantization_config");
        }

        if (p.HasDatatype && p.Datatype != G.Datatype.Default)
        {
            w.WriteString("datatype", p.Datatype switch
            {
                G.Datatype.Float32 => "float32",
                G.Datatype.Float16 => "float16",
                G.Datatype.Uint8 => "uint8",
                _ => throw new ValidationException($"{field}.datatype", "expected float32, float16 or uint8."),
            });
        }

        if (p.MultivectorConfig is not null)
        {
            w.WriteStartObject("multivector_config");
            w.WriteString("comparator", "max_sim");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteHnsw(Utf8JsonWriter w, G.HnswConfigDiff h)
    {
        w.WriteStartObject();
        if (h.HasM)
        {
            w.WriteNumber("m", h.M);
        }

        if (h.HasEfConstruct)
        {
            w.WriteNumber("ef_construct", h.EfConstruct);
        }

        if (h.HasFullScanThreshold)
        {
            w.WriteNumber("full_scan_threshold", h.FullScanThreshold);
        }

        if (h.HasMaxIndexingThreads)
        {
            w.WriteNumber("max_indexing_threads", h.MaxIndexingThreads);
        }

        w.WriteEndObject();
    }

    private static void WriteQuantization(Utf8JsonWriter w, G.QuantizationConfig q, string field)
    {
        if (q.QuantizationCase != G.QuantizationConfig.QuantizationOneofCase.Scalar)
        {
            throw new ValidationException(field, "only scalar (int8) quantization is supported by RoseForest.");
        }

        w.WriteStartObject();
        w.WriteStartObject("scalar");
        w.WriteString("type", q.Scalar.Type == G.QuantizationType.Int8 ? "int8" : "unknown");
        if (q.Scalar.HasQuantile)
        {
            w.WriteNumber("quantile", q.Scalar.Quantile);
        }

#pragma warning disable CS0612
        if (q.Scalar.HasAlwaysRam)
        {
            w.WriteBoolean("always_ram", q.Scalar.AlwaysRam);
        }
#pragma warning restore CS0612
        if (q.Scalar.HasProjectionRank)
        {
            w.WriteNumber("projection_rank", q.Scalar.ProjectionRank);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Qdrant's CollectionInfo for a collection; a faulted one is red with the reason in optimizer_status.error.</summary>
    public static G.CollectionInfo ToInfo(CollectionInfo info)
    {
        var faulted = info.Status == CollectionStatus.Faulted;
        var result = new G.CollectionInfo
        {
            Status = faulted ? G.CollectionStatus.Red : G.CollectionStatus.Green,
            OptimizerStatus = new G.OptimizerStatus { Ok = !faulted, Error = info.Fault ?? string.Empty },
            SegmentsCount = 1,
            PointsCount = (ulong)Math.Max(0, info.PointsCount),
            IndexedVectorsCount = (ulong)Math.Max(0, info.IndexedVectorsCount),
            Config = new G.CollectionConfig
            {
                Params = new G.CollectionParams { ShardNumber = 1, ReplicationFactor = 1, WriteConsistencyFactor = 1 },
                HnswConfig = ToHnsw(info.Options?.Hnsw),
                OptimizerConfig = new G.OptimizersConfigDiff(),
                WalConfig = new G.WalConfigDiff { WalCapacityMb = (ulong)((info.Options?.WalSegmentBytes ?? (32L << 20)) >> 20) },
            },
            UpdateQueue = new G.UpdateQueueInfo(),
        };
        result.Config.Durability = info.Durability switch
        {
            Durability.Buffered => "buffered",
            Durability.Memory => "memory",
            _ => "sync",
        };
        if (info.Options is { } o)
        {
            var dense = o.DenseVectors;
            if (o.Dimension > 0 && o.NamedVectors.Count == 0)
            {
                result.Config.Params.VectorsConfig = new G.VectorsConfig { Params = ToParams(dense[0].Value) };
            }
            else if (dense.Count > 0)
            {
                var map = new G.VectorParamsMap();
                foreach (var (name, p) in dense)
                {
                    map.Map[name] = ToParams(p);
                }

                result.Config.Params.VectorsConfig = new G.VectorsConfig { ParamsMap = map };
            }

            if (o.SparseVectors.Count > 0)
            {
                var sparse = new G.SparseVectorConfig();
                foreach (var (name, p) in o.SparseVectors)
                {
                    var sp = new G.SparseVectorParams { Modifier = p.Modifier == SparseModifier.Idf ? G.Modifier.Idf : G.Modifier.None };
                    if (p.FullScanThreshold is { } t)
                    {
                        sp.Index = new G.SparseIndexConfig { FullScanThreshold = (ulong)t };
                    }

                    sparse.Map[name] = sp;
                }

                result.Config.Params.SparseVectorsConfig = sparse;
            }

            if (o.Quantization is { } q)
            {
                result.Config.QuantizationConfig = ToQuantization(q);
            }
        }

        return result;
    }

    private static G.VectorParams ToParams(VectorParams p)
    {
        var result = new G.VectorParams
        {
            Size = (ulong)p.Size,

            // Poincare and Lorentz are RoseForest's enum values (1001, 1002); Qdrant's clients read them as unknown values.
            Distance = p.Distance switch
            {
                Geometry.Cosine => G.Distance.Cosine,
                Geometry.Euclid => G.Distance.Euclid,
                Geometry.Dot => G.Distance.Dot,
                Geometry.Manhattan => G.Distance.Manhattan,
                Geometry.Poincare => G.Distance.Poincare,
                Geometry.Lorentz => G.Distance.Lorentz,
                _ => G.Distance.UnknownDistance,
            },
            Datatype = p.Datatype switch
            {
                VectorDatatype.Float16 => G.Datatype.Float16,
                VectorDatatype.Uint8 => G.Datatype.Uint8,
                _ => G.Datatype.Float32,
            },
        };
        if (GeometryInfo.IsHyperbolic(p.Distance))
        {
            result.Curvature = p.Curvature;
        }

        if (p.Hnsw is { M: > 0 } h)
        {
            result.HnswConfig = ToHnsw(h);
        }

        if (p.Quantization is { } q)
        {
            result.QuantizationConfig = ToQuantization(q);
        }

        if (p.Multivector is not null)
        {
            result.MultivectorConfig = new G.MultiVectorConfig { Comparator = G.MultiVectorComparator.MaxSim };
        }

        return result;
    }

    private static G.HnswConfigDiff ToHnsw(HnswOptions? h) => h is null
        ? new G.HnswConfigDiff { M = 0 }
        : new G.HnswConfigDiff { M = (ulong)h.M, EfConstruct = (ulong)h.EfConstruct, FullScanThreshold = (ulong)h.FullScanThreshold, MaxIndexingThreads = (ulong)h.MaxIndexingThreads };

    private static G.QuantizationConfig ToQuantization(QuantizationOptions q)
    {
        var scalar = new G.ScalarQuantization { Type = G.QuantizationType.Int8, Quantile = (float)q.Quantile };
        if (q.ProjectionRank is { } rank)
        {
            scalar.ProjectionRank = (uint)rank;
        }

        return new() { Scalar = scalar };
    }
}
