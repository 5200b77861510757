using System.Globalization;
using System.Text.Json;
using RoseForest.Core.Filters.Geo;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantFilter
{
    /// <summary>Rust's f64::EPSILON (the gap from 1.0 to the next double), Qdrant's tolerance for closing a ring.</summary>
    private const double RustF64Epsilon = 2.220446049250313e-16;

    private static GeoRadius ReadGeoRadius(JsonElement element, string field)
    {
        RequireObject(element, field);
        GeoPoint? center = null;
        double? radius = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "center":
                    center = ReadGeoPoint(p.Value, path);
                    break;
                case "radius":
                    radius = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var r)
                        ? r
                        : throw new FilterValidationException(path, $"expected a radius in meters, got {p.Value.GetRawText()}.");
                    break;
                default:
                    throw new FilterValidationException(path, "unknown field; expected center and radius.");
            }
        }

        return new GeoRadius(
            center ?? throw new FilterValidationException($"{field}.center", "is required."),
            radius ?? throw new FilterValidationException($"{field}.radius", "is required."));
    }

    private static GeoBoundingBox ReadGeoBoundingBox(JsonElement element, string field)
    {
        RequireObject(element, field);
        GeoPoint? topLeft = null, bottomRight = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "top_left":
                    topLeft = ReadGeoPoint(p.Value, path);
                    break;
                case "bottom_right":
                    bottomRight = ReadGeoPoint(p.Value, path);
                    break;
                default:
                    throw new FilterValidationException(path, "unknown field; expected top_left and bottom_right.");
            }
        }

        return new GeoBoundingBox(
            topLeft ?? throw new FilterValidationException($"{field}.top_left", "is required."),
            bottomRight ?? throw new FilterValidationException($"{field}.bottom_right", "is required."));
    }

    private static GeoPolygon ReadGeoPolygon(JsonElement element, string field)
    {
        RequireObject(element, field);
        List<GeoPoint>? exterior = null;
        List<IReadOnlyList<GeoPoint>>? interiors = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "exterior":
                    exterior = ReadLineString(p.Value, path);
                    break;
                case "interiors" when p.Value.ValueKind == JsonValueKind.Null:
                    interiors = null;
                    break;
                case "interiors" when p.Value.ValueKind == JsonValueKind.Array:
                    interiors = [];
                    var i = 0;
                    foreach (var ring in p.Value.EnumerateArray())
                    {
                        interiors.Add(ReadLineString(ring, $"{path}[{i++}]"));
                    }

                    break;
                case "interiors":
                    throw new FilterValidationException(path, "expected an array of line strings ({\"points\": [...]}).");
                default:
                    throw new FilterValidationException(path, "unknown field; expected exterior and interiors.");
            }
        }

        return new GeoPolygon(exterior ?? throw new FilterValidationException($"{field}.exterior", "is required."), interiors);
    }

    /// <summary>A ring: at least 4 points, the last equal to the first (within f64::EPSILON), as Qdrant validates it.</summary>
    private static List<GeoPoint> ReadLineString(JsonElement element, string field)
    {
        RequireObject(element, field);
        List<GeoPoint>? points = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            if (p.Name != "points")
            {
                throw new FilterValidationException(path, "unknown field; expected points.");
            }

            if (p.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FilterValidationException(path, "expected an array of geo points.");
            }

            points = [];
            var i = 0;
            foreach (var item in p.Value.EnumerateArray())
            {
                points.Add(ReadGeoPoint(item, $"{path}[{i++}]"));
            }
        }

        if (points is null)
        {
            throw new FilterValidationException($"{field}.points", "is required.");
        }

        if (points.Count < 4)
        {
            throw new FilterValidationException($"{field}.points", string.Create(CultureInfo.InvariantCulture, $"polygon invalid, the size must be at least 4, got {points.Count}."));
        }

        if (Math.Abs(points[0].Lat - points[^1].Lat) > RustF64Epsilon || Math.Abs(points[0].Lon - points[^1].Lon) > RustF64Epsilon)
        {
            throw new FilterValidationException($"{field}.points", "polygon invalid, the first and the last points should be the same to form a closed line.");
        }

        return points;
    }

    /// <summary>{lon, lat} with lon in [-180, 180] and lat in [-90, 90]; the error names the coordinate.</summary>
    internal static GeoPoint ReadGeoPoint(JsonElement element, string field)
    {
        RequireObject(element, field);
        double? lon = null, lat = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            if (p.Name is not ("lon" or "lat"))
            {
                throw new FilterValidationException(path, "unknown field; expected lon and lat.");
            }

            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var v))
            {
                throw new FilterValidationException(path, $"expected a number of degrees, got {p.Value.GetRawText()}.");
            }

            if (p.Name == "lon")
            {
                lon = v is >= -180 and <= 180 ? v : throw new FilterValidationException(path, string.Create(CultureInfo.InvariantCulture, $"expected a longitude within [-180, 180], got {v}."));
            }
            else
            {
                lat = v is >= -90 and <= 90 ? v : throw new FilterValidationException(path, string.Create(CultureInfo.InvariantCulture, $"expected a latitude within [-90, 90], got {v}."));
            }
        }

        return new GeoPoint(
            lon ?? throw new FilterValidationException($"{field}.lon", "is required."),
            lat ?? throw new FilterValidationException($"{field}.lat", "is required."));
    }
}
