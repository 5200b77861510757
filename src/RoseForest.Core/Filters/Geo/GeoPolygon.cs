namespace RoseForest.Core.Filters.Geo;

/// <summary>
/// A polygon with optional holes, in (lon, lat) treated as plane coordinates, as Qdrant treats
/// it (the geo crate's <c>Polygon::contains</c>): a point is inside when the exterior ring winds
/// around it (non-zero winding number) and no hole does; a point on the exterior's or a hole's
/// boundary is outside. Rings are closed by repeating their first point when the last differs.
/// Qdrant's API requires each ring to have at least 4 points with the last equal to the first;
/// the parser checks that, this type does not.
/// </summary>
public sealed class GeoPolygon
{
    private readonly Ring _exterior;
    private readonly Ring[] _holes;

    /// <summary>Creates the polygon.</summary>
    public GeoPolygon(IReadOnlyList<GeoPoint> exterior, IReadOnlyList<IReadOnlyList<GeoPoint>>? interiors = null)
    {
        Exterior = exterior;
        Interiors = interiors;
        _exterior = new Ring(exterior);
        _holes = interiors is null ? [] : [.. interiors.Select(r => new Ring(r))];
    }

    /// <summary>The outer ring.</summary>
    public IReadOnlyList<GeoPoint> Exterior { get; }

    /// <summary>The holes, or null when none were given.</summary>
    public IReadOnlyList<IReadOnlyList<GeoPoint>>? Interiors { get; }

    /// <summary>True when the point lies inside the polygon, off its boundary and outside its holes.</summary>
    public bool Contains(GeoPoint point)
    {
        if (_exterior.Locate(point) != Position.Inside)
        {
            return false;
        }

        foreach (var hole in _holes)
        {
            if (hole.Locate(point) != Position.Outside)
            {
                return false;
            }
        }

        return true;
    }

    private enum Position
    {
        Outside,
        OnBoundary,
        Inside,
    }

    /// <summary>A closed ring as coordinate arrays, with its bounding box for a quick rejection.</summary>
    private sealed class Ring
    {
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly double _minX = double.PositiveInfinity, _maxX = double.NegativeInfinity;
        private readonly double _minY = double.PositiveInfinity, _maxY = double.NegativeInfinity;

        public Ring(IReadOnlyList<GeoPoint> points)
        {
            var close = points.Count > 0 && points[0] != points[^1];
            var n = points.Count + (close ? 1 : 0);
            _x = new double[n];
            _y = new double[n];
            for (var i = 0; i < n; i++)
            {
                var p = points[i < points.Count ? i : 0];
                _x[i] = p.Lon;
                _y[i] = p.Lat;
                _minX = Math.Min(_minX, p.Lon);
                _maxX = Math.Max(_maxX, p.Lon);
                _minY = Math.Min(_minY, p.Lat);
                _maxY = Math.Max(_maxY, p.Lat);
            }
        }

        /// <summary>
        /// The winding number of the ring around the point, with edges through the point reported
        /// as the boundary: an upward edge counts its start and not its end, a downward edge its
        /// end and not its start, horizontal edges only for the boundary test; the sides are
        /// decided by an exact orientation predicate.
        /// </summary>
        public Position Locate(GeoPoint p)
        {
            double x = p.Lon, y = p.Lat;
            if (_x.Length == 0 || x < _minX || x > _maxX || y < _minY || y > _maxY)
            {
                return Position.Outside;
            }

            if (_x.Length == 1)
            {
                return x == _x[0] && y == _y[0] ? Position.OnBoundary : Position.Outside;
            }

            var winding = 0;
            for (var i = 0; i + 1 < _x.Length; i++)
            {
                double x0 = _x[i], y0 = _y[i], x1 = _x[i + 1], y1 = _y[i + 1];
                if (y0 <= y)
                {
                    if (y1 < y)
                    {
                        continue;
                    }

                    var side = Orientation.Of(x0, y0, x1, y1, x, y);
                    if (side > 0 && y1 != y)
                    {
                        winding++;
                    }
                    else if (side == 0 && Between(x, x0, x1))
                    {
                        return Position.OnBoundary;
                    }
                }
                else if (y1 <= y)
                {
                    var side = Orientation.Of(x0, y0, x1, y1, x, y);
                    if (side < 0)
                    {
                        winding--;
                    }
                    else if (side == 0 && Between(x, x0, x1))
                    {
                        return Position.OnBoundary;
                    }
                }
            }

            return winding == 0 ? Position.Outside : Position.Inside;
        }

        private static bool Between(double v, double a, double b) => v >= Math.Min(a, b) && v <= Math.Max(a, b);
    }
}
