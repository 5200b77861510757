using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;
using static RoseForest.Core.Tests.Filters.FilterAssert;

namespace RoseForest.Core.Tests.Filters;

/// <summary>
/// Geo conditions, with the cases of Qdrant's own tests: lib/segment/src/types.rs
/// (test_geo_radius_check_point, test_geo_boundingbox_check_point,
/// test_geo_boundingbox_antimeridian_check_point, test_geo_polygon_check_point),
/// lib/segment/src/payload_storage/condition_checker.rs (test_geo_matching) and
/// query_checker.rs (test_condition_checker's Berlin and Moscow boxes).
/// </summary>
public class GeoConditionTests
{
    private static GeoPolygon Polygon(params (double Lon, double Lat)[] exterior) => new([.. exterior.Select(p => new GeoPoint(p.Lon, p.Lat))]);

    private static GeoPolygon Polygon((double Lon, double Lat)[] exterior, params (double Lon, double Lat)[][] holes) =>
        new([.. exterior.Select(p => new GeoPoint(p.Lon, p.Lat))], [.. holes.Select(h => (IReadOnlyList<GeoPoint>)[.. h.Select(p => new GeoPoint(p.Lon, p.Lat))])]);

    [Fact]
    public void Radius_holds_strictly_inside_the_haversine_distance()
    {
        var radius = new GeoRadius(new GeoPoint(0, 0), 80_000);
        Assert.True(radius.Contains(new GeoPoint(0.5, 0.5)));
        Assert.False(radius.Contains(new GeoPoint(1.5, 1.5)));

        // types.rs notes the haversine distance from (0, 0) to (0.5, 0.5) is 78626.29627999048 m.
        Assert.Equal(78626.29627999048, GeoRadius.Distance(new GeoPoint(0, 0), new GeoPoint(0.5, 0.5)), 1e-6);
        var d = GeoRadius.Distance(new GeoPoint(0, 0), new GeoPoint(0.5, 0.5));
        Assert.False(new GeoRadius(new GeoPoint(0, 0), d).Contains(new GeoPoint(0.5, 0.5))); // distance < radius, not <=
    }

    [Fact]
    public void Radius_tests_each_point_of_an_array_of_geo_points()
    {
        const string berlinAndMoscow = """{"loc":[{"lat":52.52197645,"lon":13.413637435864272},{"lat":55.7536283,"lon":37.62137960067377}]}""";
        Assert.True(Holds(Condition.Geo("loc", new GeoRadius(new GeoPoint(13.413637, 52.521976), 2000)), berlinAndMoscow));
        Assert.False(Holds(Condition.Geo("loc", new GeoRadius(new GeoPoint(20.423637, 52.511), 2000)), berlinAndMoscow));
    }

    [Theory]
    [InlineData("""{"loc":{"lon":0.1,"lat":0.1}}""", true)]
    [InlineData("""{"loc":{"lon":0.1,"lat":0.1,"name":"x"}}""", true)] // other keys are ignored
    [InlineData("""{"loc":{"lon":"0.1","lat":0.1}}""", false)]
    [InlineData("""{"loc":{"lat":0.1}}""", false)]
    [InlineData("""{"loc":[0.1,0.1]}""", false)]
    [InlineData("""{"loc":[[{"lon":0.1,"lat":0.1}]]}""", false)] // one level of array only
    [InlineData("""{"loc":null}""", false)]
    [InlineData("none", false)]
    public void Geo_values_are_lon_lat_objects(string payload, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Geo("loc", new GeoRadius(new GeoPoint(0, 0), 100_000)), payload));

    [Fact]
    public void Bounding_box_holds_strictly_inside()
    {
        var box = new GeoBoundingBox(new GeoPoint(-1, 1), new GeoPoint(1, -1));
        Assert.True(box.Contains(new GeoPoint(-0.5, 0.5)));
        Assert.False(box.Contains(new GeoPoint(1.5, 1.5)));
        Assert.False(box.Contains(new GeoPoint(1, 0))); // on the edge
        Assert.False(box.Contains(new GeoPoint(0, -1)));
    }

    [Fact]
    public void A_bounding_box_with_top_left_east_of_bottom_right_crosses_the_antimeridian()
    {
        // The USA from (167, 74.071028) to (-66.885417, 18.7763).
        var usa = new GeoBoundingBox(new GeoPoint(167.0, 74.071028), new GeoPoint(-66.885417, 18.7763));
        Assert.True(usa.Contains(new GeoPoint(-73.991516, 40.75798))); // New York
        Assert.False(usa.Contains(new GeoPoint(13.41053, 52.52437))); // Berlin
        Assert.True(usa.Contains(new GeoPoint(170, 50))); // west of the antimeridian, still inside
        Assert.True(usa.Contains(new GeoPoint(-170, 50)));
        Assert.False(usa.Contains(new GeoPoint(167, 50))); // on the west edge
    }

    [Fact]
    public void Qdrant_condition_checker_berlin_and_moscow_boxes()
    {
        const string payload = """{"location":{"lon":13.404954,"lat":52.520008}}""";
        Assert.True(Holds(Condition.Geo("location", new GeoBoundingBox(new GeoPoint(13.08835, 52.67551), new GeoPoint(13.76116, 52.33826))), payload));
        Assert.False(Holds(Condition.Geo("location", new GeoBoundingBox(new GeoPoint(37.0366, 56.1859), new GeoPoint(38.2532, 55.317))), payload));
    }

    [Theory]
    [InlineData(0.5, 0.5, true)]
    [InlineData(1.5, 1.5, false)]
    [InlineData(1.0, 0.0, false)] // on the boundary
    [InlineData(-1.0, -1.0, false)] // a vertex
    public void Polygon_square(double lon, double lat, bool expected) =>
        Assert.Equal(expected, Polygon((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)).Contains(new GeoPoint(lon, lat)));

    [Theory]
    [InlineData(0.5, 0.0, true)]
    [InlineData(0.0, 0.5, false)]
    [InlineData(0.0, 0.0, false)] // where the edges cross: on the boundary
    public void Polygon_twisted_square_uses_the_winding_number(double lon, double lat, bool expected) =>
        Assert.Equal(expected, Polygon((-1, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)).Contains(new GeoPoint(lon, lat)));

    [Theory]
    [InlineData(0.6, 0.6, true)]
    [InlineData(0.0, 0.0, false)] // in the hole
    [InlineData(0.5, 0.5, false)] // on the hole's boundary
    [InlineData(0.5, 0.0, false)]
    [InlineData(1.5, 0.0, false)] // on the exterior's boundary
    public void Polygon_with_a_hole(double lon, double lat, bool expected)
    {
        var polygon = Polygon(
            [(-1, -1), (1.5, -1), (1.5, 1.5), (-1, 1.5), (-1, -1)],
            [(-0.5, -0.5), (-0.5, 0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, -0.5)]);
        Assert.Equal(expected, polygon.Contains(new GeoPoint(lon, lat)));
    }

    [Fact]
    public void Polygon_rings_that_do_not_repeat_their_first_point_are_closed()
    {
        var open = Polygon((0, 0), (2, 0), (2, 2), (0, 2));
        Assert.True(open.Contains(new GeoPoint(1, 1)));
        Assert.False(open.Contains(new GeoPoint(0, 1))); // on the closing edge
    }

    [Fact]
    public void Points_on_a_slanted_edge_are_on_the_boundary_exactly()
    {
        // 0.1 + 0.2 is not 0.3 in binary: points that are collinear only in decimal are decided exactly.
        var triangle = Polygon((0, 0), (3, 3), (3, 0), (0, 0));
        Assert.False(triangle.Contains(new GeoPoint(1, 1))); // exactly on the diagonal
        Assert.True(triangle.Contains(new GeoPoint(1, 0.999999999999)));
        Assert.False(triangle.Contains(new GeoPoint(1, 1.000000000001)));
    }

    [Fact]
    public void Orientation_is_exact_where_the_floating_determinant_is_not()
    {
        // Shewchuk's example: points a hair off the line through (12, 12) and (24, 24). The
        // reference scales each coordinate by 2^60 (exact for these magnitudes) into BigInteger.
        var mismatches = 0;
        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                var ax = 0.5 + (i * Math.Pow(2, -53));
                var ay = 0.5 + (j * Math.Pow(2, -53));
                var exact = ExactOrientation(ax, ay, 12, 12, 24, 24);
                Assert.Equal(exact, RoseForest.Core.Filters.Geo.Orientation.Of(ax, ay, 12, 12, 24, 24));
                var naive = Math.Sign(((ax - 24) * (12 - 24)) - ((ay - 24) * (12 - 24)));
                mismatches += naive != exact ? 1 : 0;
            }
        }

        Assert.True(mismatches > 0, "the grid should include cases the plain double determinant gets wrong");
    }

    private static int ExactOrientation(double ax, double ay, double bx, double by, double cx, double cy)
    {
        static System.Numerics.BigInteger Big(double v) => new(v * Math.Pow(2, 60));
        var det = ((Big(ax) - Big(cx)) * (Big(by) - Big(cy))) - ((Big(ay) - Big(cy)) * (Big(bx) - Big(cx)));
        return det.Sign;
    }

    [Fact]
    public void A_polygon_condition_reads_geo_points_from_the_payload()
    {
        var polygon = Polygon((0, 0), (10, 0), (10, 10), (0, 10), (0, 0));
        Assert.True(Holds(Condition.Geo("p", polygon), """{"p":[{"lon":20,"lat":20},{"lon":5,"lat":5}]}"""));
        Assert.False(Holds(Condition.Geo("p", polygon), """{"p":{"lon":20,"lat":5}}"""));
    }
}
