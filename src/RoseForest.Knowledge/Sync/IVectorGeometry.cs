namespace RoseForest.Knowledge.Sync;

/// <summary>
/// The geometry vector strategies average in. This library ships <see cref="EuclideanGeometry"/>;
/// the hyperbolic geometries (Poincaré, Lorentz) are plugged in by the integrator.
/// </summary>
public interface IVectorGeometry
{
    /// <summary>The point halfway along the geodesic from <paramref name="a"/> to <paramref name="b"/>.</summary>
    float[] Midpoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b);

    /// <summary>The weighted Fréchet mean: the point minimising Σ wᵢ·d(x, pᵢ)²; weights are non-negative with a positive sum.</summary>
    float[] WeightedMean(IReadOnlyList<float[]> points, IReadOnlyList<double> weights);
}
