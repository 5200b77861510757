namespace RoseForest.Core.Filters.Geo;

/// <summary>
/// Points strictly inside the box from <see cref="TopLeft"/> to <see cref="BottomRight"/>, as
/// Qdrant checks it: bottom_right.lat &lt; lat &lt; top_left.lat, and top_left.lon &lt; lon &lt;
/// bottom_right.lon, except that a box whose top_left.lon is greater than its bottom_right.lon
/// crosses the antimeridian and holds lon &gt; top_left.lon or lon &lt; bottom_right.lon.
/// Points on the edges are outside.
/// </summary>
public readonly record struct GeoBoundingBox(GeoPoint TopLeft, GeoPoint BottomRight)
{
    /// <summary>True when the point lies inside the box.</summary>
    public bool Contains(GeoPoint point)
    {
        var inLon = TopLeft.Lon > BottomRight.Lon
            ? point.Lon > TopLeft.Lon || point.Lon < BottomRight.Lon
            : TopLeft.Lon < point.Lon && point.Lon < BottomRight.Lon;
        return inLon && BottomRight.Lat < point.Lat && point.Lat < TopLeft.Lat;
    }
}
