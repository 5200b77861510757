using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>
/// How far out the Lorentz trainer lets a row go. The WordNet nouns need room beyond the
/// Poincaré ball's bound (radius ≈ 12.2): with that cap most rows ended on it and MAP stalled at
/// 0.87. The reference caps the spatial norm at 1e6 (radius ≈ 14.5), and so does the trainer.
/// </summary>
public sealed class LorentzRadiusTests
{
    private static double[] Row(double spatialNorm)
    {
        var padded = RowMath.Padded(LorentzKernel.Stride(2));
        var row = new double[padded];
        row[1] = spatialNorm * 0.6;
        row[2] = spatialNorm * 0.8;
        return row;
    }

    [Fact]
    public void A_row_at_radius_14_keeps_its_place_and_lands_on_the_hyperboloid()
    {
        var row = Row(Math.Sinh(14.0));
        LorentzKernel.Normalize(row);

        Assert.Equal(Math.Sinh(14.0) * 0.6, row[1], 1e-6);
        Assert.Equal(Math.Sinh(14.0) * 0.8, row[2], 1e-6);
        Assert.Equal(Math.Cosh(14.0), row[0], 1e-6 * Math.Cosh(14.0));
    }

    [Fact]
    public void A_row_beyond_the_cap_is_pulled_back_to_spatial_norm_1e6_along_its_direction()
    {
        var row = Row(5e7);
        LorentzKernel.Normalize(row);

        var norm = Math.Sqrt((row[1] * row[1]) + (row[2] * row[2]));
        Assert.Equal(1e6, norm, 1e-6 * 1e6);
        Assert.Equal(0.75, row[1] / row[2], 1e-12);
        Assert.Equal(Math.Sqrt(1 + (norm * norm)), row[0], 1e-9 * row[0]);
        Assert.Equal(Math.Asinh(1e6), LorentzKernel.MaxRadius, 1e-12);
    }
}
