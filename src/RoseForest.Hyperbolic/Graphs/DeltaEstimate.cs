namespace RoseForest.Hyperbolic.Graphs;

/// <summary>A sampled estimate of Gromov δ-hyperbolicity.</summary>
/// <param name="Points">How many points the quadruples were drawn from.</param>
/// <param name="Samples">How many quadruples were evaluated.</param>
/// <param name="Delta">The largest four-point δ seen (a lower bound on the space's δ).</param>
/// <param name="MeanDelta">The mean four-point δ over the samples.</param>
/// <param name="Diameter">The largest distance among the sampled points.</param>
/// <param name="DistanceSpread">The coefficient of variation (std / mean) of the distances among the sampled points.</param>
internal sealed record DeltaEstimate(int Points, long Samples, double Delta, double MeanDelta, double Diameter, double DistanceSpread)
{
    /// <summary>δ / diameter: 0 for a tree, up to 1/2 for the flattest spaces.</summary>
    public double RelativeDelta => Diameter > 0 ? Delta / Diameter : 0;
}
