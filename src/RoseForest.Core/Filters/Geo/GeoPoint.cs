using System.Text.Json;

namespace RoseForest.Core.Filters.Geo;

/// <summary>A point on the earth in degrees; in payloads, an object <c>{"lon": …, "lat": …}</c>.</summary>
public readonly record struct GeoPoint(double Lon, double Lat)
{
    /// <summary>True when lon lies in [-180, 180] and lat in [-90, 90], the ranges Qdrant accepts in a filter.</summary>
    public bool IsValid => Lon is >= -180 and <= 180 && Lat is >= -90 and <= 90;

    /// <summary>
    /// Reads a payload value as Qdrant does: an object with numeric <c>lon</c> and <c>lat</c> (other
    /// keys ignored, the ranges not checked); anything else is not a geo point.
    /// </summary>
    internal static bool TryRead(JsonElement value, out GeoPoint point)
    {
        point = default;
        if (value.ValueKind != JsonValueKind.Object ||
            !value.TryGetProperty("lon"u8, out var lon) || lon.ValueKind != JsonValueKind.Number || !lon.TryGetDouble(out var x) ||
            !value.TryGetProperty("lat"u8, out var lat) || lat.ValueKind != JsonValueKind.Number || !lat.TryGetDouble(out var y))
        {
            return false;
        }

        point = new GeoPoint(x, y);
        return true;
    }
}
