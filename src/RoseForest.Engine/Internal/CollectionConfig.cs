using System.Text;
using System.Text.Json;

namespace RoseForest.Engine.Internal;

/// <summary>The persisted form of <see cref="CollectionOptions"/>: collection.json and the snapshot's CONF section.</summary>
internal static class CollectionConfig
{
    private const int Format = 1;

    public static byte[] Serialize(CollectionOptions o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteNumber("dimension", o.Dimension);
            w.WriteString("geometry", GeometryInfo.Name(o.Geometry));
            w.WriteNumber("curvature", o.Curvature);
            w.WriteString("durability", o.Durability.ToString().ToLowerInvariant());
            w.WriteNumber("flush_interval_ms", o.FlushInterval.TotalMilliseconds);
            w.WriteNumber("wal_segment_bytes", o.WalSegmentBytes);
            w.WriteNumber("checkpoint_wal_bytes", o.CheckpointWalBytes);
            if (o.Hnsw is { } h)
            {
                w.WriteStartObject("hnsw");
                w.WriteNumber("m", h.M);
                w.WriteNumber("ef_construct", h.EfConstruct);
                w.WriteNumber("full_scan_threshold", h.FullScanThreshold);
                w.WriteNumber("max_indexing_threads", h.MaxIndexingThreads);
                if (h.Ef is { } ef)
                {
                    w.WriteNumber("ef", ef);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("hnsw");
            }

            if (o.Quantization is { } q)
            {
                w.WriteStartObject("quantization");
                w.WriteString("type", "int8");
                w.WriteNumber("quantile", q.Quantile);
                w.WriteBoolean("always_ram", q.AlwaysRam);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static CollectionOptions Deserialize(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            var root = JsonElement.Parse(json);
            if (root.GetProperty("format").GetInt32() != Format)
            {
                throw new InvalidDataException($"{source}: unsupported collection config format.");
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
                Hnsw = root.TryGetProperty("hnsw", out var h) && h.ValueKind == JsonValueKind.Object
                    ? new HnswOptions
                    {
                        M = h.GetProperty("m").GetInt32(),
                        EfConstruct = h.GetProperty("ef_construct").GetInt32(),
                        FullScanThreshold = h.GetProperty("full_scan_threshold").GetInt64(),
                        MaxIndexingThreads = h.GetProperty("max_indexing_threads").GetInt32(),
                        Ef = h.TryGetProperty("ef", out var ef) ? ef.GetInt32() : null,
                    }
                    : null,
                Quantization = root.TryGetProperty("quantization", out var q) && q.ValueKind == JsonValueKind.Object
                    ? new QuantizationOptions { Quantile = q.GetProperty("quantile").GetDouble(), AlwaysRam = q.GetProperty("always_ram").GetBoolean() }
                    : null,
            };
            options.Validate();
            return options;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or ValidationException)
        {
            throw new InvalidDataException($"{source}: the collection config is unreadable: {e.Message}", e);
        }
    }

    public static string Describe(CollectionOptions o) => Encoding.UTF8.GetString(Serialize(o));
}
