namespace RoseForest.Knowledge.Trust;

/// <summary>
/// The constants of the trust score (docs/knowledge.md, "Trust score"). The defaults: a prior of
/// 0.5 worth two established votes, full standing after 30 days, and all newcomers together
/// worth at most one established node.
/// </summary>
public sealed record TrustScoreOptions
{
    /// <summary>μ: the score of a package nobody has voted on, in [0, 1].</summary>
    public double PriorMean { get; init; } = 0.5;

    /// <summary>P: how many full-weight votes the prior is worth; positive.</summary>
    public double PriorStrength { get; init; } = 2.0;

    /// <summary>T: how long after registration a node's votes reach full maturity.</summary>
    public TimeSpan MaturityPeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary>C: the most weight all immature voters together may carry on one package.</summary>
    public double NewcomerWeightCap { get; init; } = 1.0;

    internal void Validate()
    {
        if (!double.IsFinite(PriorMean) || PriorMean < 0 || PriorMean > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PriorMean), PriorMean, "must be in [0, 1]");
        }

        if (!double.IsFinite(PriorStrength) || PriorStrength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PriorStrength), PriorStrength, "must be positive");
        }

        if (MaturityPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaturityPeriod), MaturityPeriod, "must be positive");
        }

        if (!double.IsFinite(NewcomerWeightCap) || NewcomerWeightCap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NewcomerWeightCap), NewcomerWeightCap, "must be non-negative");
        }
    }
}
