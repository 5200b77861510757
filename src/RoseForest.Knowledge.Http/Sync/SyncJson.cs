using System.Globalization;
using System.Text.Json;
using RoseForest.Knowledge.Http.Points;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>Small JSON pieces of the sync routes: a collection's shape as <c>{"geometry","dimension","curvature"}</c>.</summary>
internal static class SyncJson
{
    public static string ShapeJson(CollectionShape shape)
        => string.Create(CultureInfo.InvariantCulture, $"{{\"geometry\":\"{Name(shape.Geometry)}\",\"dimension\":{shape.Dimension},\"curvature\":{shape.Curvature:R}}}");

    public static void WriteShape(Utf8JsonWriter w, CollectionShape shape)
    {
        w.WriteString("geometry", Name(shape.Geometry));
        w.WriteNumber("dimension", shape.Dimension);
        w.WriteNumber("curvature", shape.Curvature);
    }

    public static CollectionShape ReadShape(JsonElement e)
    {
        var geometry = e.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.String
            ? Parse(g.GetString()!)
            : throw new ValidationException("geometry", "is required.");
        var dimension = e.TryGetProperty("dimension", out var d) && d.TryGetInt32(out var n) && n >= 1 ? n : throw new ValidationException("dimension", "is required: a positive integer.");
        var curvature = e.TryGetProperty("curvature", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : GeometryInfo.DefaultCurvature;
        return new CollectionShape(geometry, dimension, curvature);
    }

    public static string Name(Core.Geometry geometry) => geometry.ToString().ToLowerInvariant();

    /// <summary>Checkpoints in a sync log record: <c>"checkpoints": [{source, key, seq}]</c>.</summary>
    public static void WriteCheckpoints(Utf8JsonWriter w, Dictionary<(string Source, string Key), long> checkpoints)
    {
        w.WriteStartArray("checkpoints");
        foreach (var ((source, key), seq) in checkpoints)
        {
            w.WriteStartObject();
            w.WriteString("source", source);
            w.WriteString("key", key);
            w.WriteNumber("seq", seq);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Reads what <see cref="WriteCheckpoints"/> wrote (when present) into <paramref name="checkpoints"/>.</summary>
    public static void ReadCheckpoints(JsonElement record, Dictionary<(string Source, string Key), long> checkpoints)
    {
        if (record.TryGetProperty("checkpoints", out var list))
        {
            foreach (var c in list.EnumerateArray())
            {
                checkpoints[(c.GetProperty("source").GetString()!, c.GetProperty("key").GetString()!)] = c.GetProperty("seq").GetInt64();
            }
        }
    }

    private static Core.Geometry Parse(string name)
        => Enum.TryParse<Core.Geometry>(name, ignoreCase: true, out var g) && Enum.IsDefined(g)
            ? g
            : throw new ValidationException("geometry", $"unknown geometry '{name}'.");
}
