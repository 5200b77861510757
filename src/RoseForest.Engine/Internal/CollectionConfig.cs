using System.Text;
using System.Text.Json;

namespace RoseForest.Engine.Internal;

/// <summary>The persisted form of <see cref="CollectionOptions"/>: collection.json and the snapshot's CONF section.</summary>
internal static class CollectionConfig
{
    /// <summary>1: one unnamed vector; 2: adds datatype, multivector, named and sparse vectors (written only when used, so classic collections stay readable by older versions).</summary>
    private const int Format = 1;
    private const int NamedFormat = 2;

    public static byte[] Serialize(CollectionOptions o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var named = o.NamedVectors.Count > 0 || o.SparseVectors.Count > 0 || o.Datatype != VectorDatatype.Float32 || o.Multivector is not null || o.Dimension == 0;
            w.WriteStartObject();
            w.WriteNumber("format", named ? NamedFormat : Format);
            w.WriteNumber("dimension", o.Dimension);
            w.WriteString("geometry", GeometryInfo.Name(o.Geometry));
            w.WriteNumber("curvature", o.Curvature);
            w.WriteString("durability", o.Durability.ToString().ToLowerInvariant());
            w.WriteNumber("flush_interval_ms", o.FlushInterval.TotalMilliseconds);
            w.WriteNumber("wal_segment_bytes", o.WalSegmentBytes);
            w.WriteNumber("checkpoint_wal_bytes", o.CheckpointWalBytes);
            if (named)
            {
                WriteNamed(w, o);
            }

            WriteHnsw(w, "hnsw", o.Hnsw);
            WriteQuantization(w, "quantization", o.Quantization);
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

        return stream.ToArray();
    }

    private static void WriteNamed(Utf8JsonWriter w, CollectionOptions o)
    {
        w.WriteString("datatype", o.Datatype.ToString().ToLowerInvariant());
        w.WriteBoolean("multivector", o.Multivector is not null);
        w.WriteStartObject("vectors");
        foreach (var (name, p) in o.NamedVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteNumber("size", p.Size);
            w.WriteString("geometry", GeometryInfo.Name(p.Distance));
            w.WriteNumber("curvature", p.Curvature);
            w.WriteString("datatype", p.Datatype.ToString().ToLowerInvariant());
            w.WriteBoolean("multivector", p.Multivector is not null);
            if (p.Embed is { } embed)
            {
                w.WriteString("embed", embed);
            }

            if (p.OnDisk is { } onDisk)
            {
                w.WriteBoolean("on_disk", onDisk);
            }

            if (p.Hnsw is { } h)
            {
                WriteHnsw(w, "hnsw", h);
            }

            if (p.Quantization is { } q)
            {
                WriteQuantization(w, "quantization", q);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("sparse_vectors");
        foreach (var (name, p) in o.SparseVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteString("modifier", p.Modifier.ToString().ToLowerInvariant());
            if (p.OnDisk is { } onDisk)
            {
                w.WriteBoolean("on_disk", onDisk);
            }

            if (p.FullScanThreshold is { } threshold)
            {
                w.WriteNumber("full_scan_threshold", threshold);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteHnsw(Utf8JsonWriter w, string name, HnswOptions? hnsw)
    {
        {
            if (hnsw is { } h)
            {
                w.WriteStartObject(name);
                w.WriteNumber("m", h.M);
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

                w.WriteEndObject();
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }

    private static void WriteQuantization(Utf8JsonWriter w, string name, QuantizationOptions? quantization)
    {
        if (quantization is { } q)
        {
            w.WriteStartObject(name);
            w.WriteString("type", "int8");
            w.WriteNumber("quantile", q.Quantile);
            w.WriteBoolean("always_ram", q.AlwaysRam);
            if (q.ProjectionRank is { } rank)
            {
                w.WriteNumber("projection_rank", rank);
            }

            w.WriteEndObject();
        }
    }

    public static CollectionOptions Deserialize(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            var root = JsonElement.Parse(json);
            var format = root.GetProperty("format").GetInt32();
            if (format is not (Format or NamedFormat))
            {
                throw new InvalidDataException($"{source}: unsupported collection config format {format}.");
            }

            var options = new CollectionOptions
            {
                Dimension = root.GetProperty("dimension").GetInt32(),
                Geometry = GeometryInfo.Parse(root.GetProperty("geometry").GetString()),
                Curvature = root.GetProperty("curvature").GetDouble(),
                Durability = Enum.Parse<Durability>(root.GetProperty("durability").GetString()!, ignoreCase: true),
                FlushInterval = TimeSpan.FromMilliseconds(root.GetProperty("flush_interval_ms").GetDouble()),
                WalSegmentBytes = root.GetProperty("wal_segment_bytes").GetInt64(),
                CheckpointWalBytes = root.GetProperty("checkpoint_wal_bytes").GetInt64(),
                Hnsw = ReadHnsw(root, "hnsw"),
                Quantization = ReadQuantization(root, "quantization"),
                Datatype = root.TryGetProperty("datatype", out var dt) ? Enum.Parse<VectorDatatype>(dt.GetString()!, ignoreCase: true) : VectorDatatype.Float32,
                Multivector = root.TryGetProperty("multivector", out var mv) && mv.GetBoolean() ? MultivectorComparator.MaxSim : null,
                NamedVectors = root.TryGetProperty("vectors", out var vs) ? ReadNamed(vs) : new Dictionary<string, VectorParams>(),
                SparseVectors = root.TryGetProperty("sparse_vectors", out var sv)
                    ? sv.EnumerateObject().ToDictionary(
                        p => p.Name,
                        p => new SparseVectorParams
                        {
                            Modifier = Enum.Parse<SparseModifier>(p.Value.GetProperty("modifier").GetString()!, ignoreCase: true),
                            OnDisk = p.Value.TryGetProperty("on_disk", out var od) ? od.GetBoolean() : null,
                            FullScanThreshold = p.Value.TryGetProperty("full_scan_threshold", out var t) ? t.GetInt64() : null,
                        },
                        StringComparer.Ordinal)
                    : new Dictionary<string, SparseVectorParams>(),
                StrictModeConfig = root.TryGetProperty("strict_mode_config", out var sm) ? sm.Clone() : null,
                Metadata = root.TryGetProperty("metadata", out var md) ? md.Clone() : null,
            };
            options.Validate();
            return options;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or ValidationException)
        {
            throw new InvalidDataException($"{source}: the collection config is unreadable: {e.Message}", e);
        }
    }

    private static Dictionary<string, VectorParams> ReadNamed(JsonElement vectors)
    {
        var result = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        foreach (var p in vectors.EnumerateObject())
        {
            var v = p.Value;
            result[p.Name] = new VectorParams
            {
                Size = v.GetProperty("size").GetInt32(),
                Distance = GeometryInfo.Parse(v.GetProperty("geometry").GetString()),
                Curvature = v.GetProperty("curvature").GetDouble(),
                Datatype = Enum.Parse<VectorDatatype>(v.GetProperty("datatype").GetString()!, ignoreCase: true),
                Multivector = v.GetProperty("multivector").GetBoolean() ? MultivectorComparator.MaxSim : null,
                OnDisk = v.TryGetProperty("on_disk", out var od) ? od.GetBoolean() : null,
                Embed = v.TryGetProperty("embed", out var em) ? em.GetString() : null,
                Hnsw = v.TryGetProperty("hnsw", out _) ? ReadHnsw(v, "hnsw") ?? new HnswOptions { M = 0 } : null,
                Quantization = ReadQuantization(v, "quantization"),
            };
        }

        return result;
    }

    private static HnswOptions? ReadHnsw(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var h) && h.ValueKind == JsonValueKind.Object
            ? new HnswOptions
            {
                M = h.GetProperty("m").GetInt32(),
                EfConstruct = h.GetProperty("ef_construct").GetInt32(),
                FullScanThreshold = h.GetProperty("full_scan_threshold").GetInt64(),
                MaxIndexingThreads = h.GetProperty("max_indexing_threads").GetInt32(),
                Ef = h.TryGetProperty("ef", out var ef) ? ef.GetInt32() : null,
                TargetRecall = h.TryGetProperty("target_recall", out var target) ? target.GetDouble() : null,
            }
            : null;

    private static QuantizationOptions? ReadQuantization(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var q) && q.ValueKind == JsonValueKind.Object
            ? new QuantizationOptions
            {
                Quantile = q.GetProperty("quantile").GetDouble(),
                AlwaysRam = q.GetProperty("always_ram").GetBoolean(),
                ProjectionRank = q.TryGetProperty("projection_rank", out var rank) ? rank.GetInt32() : null,
            }
            : null;

    public static string Describe(CollectionOptions o) => Encoding.UTF8.GetString(Serialize(o));
}
