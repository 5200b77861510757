namespace RoseForest.Core.Filters.Geo;

/// <summary>
/// Points closer than <see cref="RadiusMeters"/> to <see cref="Center"/> (strictly), by the
/// haversine distance on a sphere of the GRS80 mean radius, 6,371,008.8 m, as Qdrant computes it
/// (the geo crate's <c>Haversine</c>).
/// </summary>
public readonly record struct GeoRadius(GeoPoint Center, double RadiusMeters)
{
    /// <summary>The earth radius of the haversine distance, in meters.</summary>
    public const double EarthRadiusMeters = 6_371_008.8;

    // Rust's f64::to_radians multiplies by PI / 180; doing the same keeps distances bit-identical.
    private const double RadiansPerDegree = Math.PI / 180;

    /// <summary>True when the point lies within the radius.</summary>
    public bool Contains(GeoPoint point) => Distance(Center, point) < RadiusMeters;

    /// <summary>The haversine distance in meters.</summary>
    public static double Distance(GeoPoint a, GeoPoint b)
    {
        var lat1 = a.Lat * RadiansPerDegree;
        var lat2 = b.Lat * RadiansPerDegree;
        var halfDeltaLat = (b.Lat - a.Lat) * RadiansPerDegree / 2;
        var halfDeltaLon = (b.Lon - a.Lon) * RadiansPerDegree / 2;
        var sinLat = Math.Sin(halfDeltaLat);
        var sinLon = Math.Sin(halfDeltaLon);
        var h = (sinLat * sinLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinLon * sinLon);
        return EarthRadiusMeters * 2 * Math.Asin(Math.Sqrt(h));
    }
}
