using RoseForest.Core.Spaces;

namespace RoseForest.Core.Tests;

public class VectorValidationTests
{
    private static float[] Prepare(Geometry geometry, float[] input, int? dimension = null, double c = 1, bool project = false)
    {
        var output = new float[input.Length];
        VectorPreparer.Prepare(geometry, c, dimension ?? input.Length, input, output, project, "points[0].vector");
        return output;
    }

    private static VectorValidationException Refused(Geometry geometry, float[] input, int? dimension = null, double c = 1) =>
        Assert.Throws<VectorValidationException>(() => Prepare(geometry, input, dimension, c));

    [Fact]
    public void A_vector_of_the_wrong_dimension_is_refused_naming_the_field()
    {
        var e = Refused(Geometry.Euclid, [1, 2, 3], dimension: 4);
        Assert.Equal(VectorError.WrongDimension, e.Error);
        Assert.Equal("points[0].vector", e.Field);
        Assert.Contains("dimension 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_coordinates_are_refused_in_every_geometry(float bad)
    {
        foreach (var g in Enum.GetValues<Geometry>())
        {
            Assert.Equal(VectorError.NotFinite, Refused(g, [0.1f, bad, 0.1f]).Error);
        }
    }

    [Fact]
    public void A_norm_that_overflows_is_refused()
    {
        Assert.Equal(VectorError.NotFinite, Refused(Geometry.Euclid, [3e38f, 3e38f]).Error);
    }

    [Fact]
    public void A_zero_vector_is_refused_for_cosine_but_allowed_elsewhere()
    {
        Assert.Equal(VectorError.ZeroVector, Refused(Geometry.Cosine, [0, 0, 0]).Error);
        Assert.Equal(new float[] { 0, 0, 0 }, Prepare(Geometry.Euclid, [0, 0, 0]));
        Assert.Equal(new float[] { 0, 0, 0 }, Prepare(Geometry.Dot, [0, 0, 0]));
    }

    [Fact]
    public void Cosine_vectors_are_stored_at_unit_length()
    {
        var v = Prepare(Geometry.Cosine, [3, 4]);
        Assert.Equal(0.6f, v[0], 1e-6f);
        Assert.Equal(0.8f, v[1], 1e-6f);
    }

    [Theory]
    [InlineData(1.0, 1.0f)]
    [InlineData(1.0, 0.999995f)]
    [InlineData(4.0, 0.5f)]
    [InlineData(0.25, 2.5f)]
    public void Poincare_points_on_or_outside_the_boundary_are_refused(double c, float norm)
    {
        var e = Refused(Geometry.Poincare, [norm, 0], c: c);
        Assert.Equal(VectorError.OutsideBall, e.Error);
        Assert.Contains("project", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Poincare_points_inside_are_kept_and_projection_pulls_others_inside()
    {
        Assert.Equal(new float[] { 0.5f, 0 }, Prepare(Geometry.Poincare, [0.5f, 0]));
        var pulled = Prepare(Geometry.Poincare, [3, 4], project: true);
        var norm = Math.Sqrt((pulled[0] * pulled[0]) + (pulled[1] * pulled[1]));
        Assert.True(norm < 1 - VectorPreparer.PoincareBoundaryEpsilon);
        Assert.Equal(0.6, pulled[0] / norm, 1e-6);
    }

    [Fact]
    public void Lorentz_points_off_the_hyperboloid_are_refused_unless_projected()
    {
        Assert.Equal(VectorError.OffHyperboloid, Refused(Geometry.Lorentz, [2, 0, 0]).Error);

        // The lower sheet is not the model.
        Assert.Equal(VectorError.OffHyperboloid, Refused(Geometry.Lorentz, [-1, 0, 0]).Error);

        var lifted = Prepare(Geometry.Lorentz, [7, 0.5f, -2], project: true);
        Assert.Equal(Math.Sqrt(1 + 0.25 + 4), lifted[0], 1e-6);
        Assert.Equal(0.5f, lifted[1]);
    }

    [Fact]
    public void Lorentz_points_on_the_hyperboloid_pass_for_any_curvature()
    {
        const double c = 2.0;
        var x0 = (float)Math.Sqrt((1 / c) + 9);
        Assert.Equal(new[] { x0, 3f, 0f }, Prepare(Geometry.Lorentz, [x0, 3, 0], c: c));
    }

    [Fact]
    public void A_lorentz_point_needs_two_coordinates()
    {
        Assert.Equal(VectorError.WrongDimension, Refused(Geometry.Lorentz, [1]).Error);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_curvature_must_be_positive_and_finite(double c)
    {
        var e = Assert.Throws<ValidationException>(() => GeometryInfo.ValidateCurvature(c));
        Assert.Equal("curvature", e.Field);
    }

    [Fact]
    public void Geometry_names_parse_in_qdrant_and_roseforest_spellings()
    {
        Assert.Equal(Geometry.Euclid, GeometryInfo.Parse("Euclid"));
        Assert.Equal(Geometry.Cosine, GeometryInfo.Parse("cosine"));
        Assert.Equal(Geometry.Poincare, GeometryInfo.Parse("Poincare"));
        Assert.Equal(Geometry.Lorentz, GeometryInfo.Parse("lorentz"));
        Assert.Throws<ValidationException>(() => GeometryInfo.Parse("hamming"));
    }
}
