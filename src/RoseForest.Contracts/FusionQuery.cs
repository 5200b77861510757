namespace RoseForest.Contracts;

/// <summary>Fuses the results of the prefetches (needs at least one prefetch).</summary>
/// <param name="Method">Reciprocal rank fusion or distribution-based score fusion.</param>
public sealed record FusionQuery(FusionMethod Method) : Query
{
    /// <summary>RRF's k (default 2, as Qdrant): a point at 0-based position p of a prefetch scores 1 / (p + k).</summary>
    public int? K { get; init; }

    /// <summary>RRF weights, one per prefetch: position p scores 1 / ((p + 1) / w + k − 1); a weight ≤ 0 adds nothing.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Reciprocal rank fusion with Qdrant's defaults.</summary>
    public static FusionQuery Rrf { get; } = new(FusionMethod.Rrf);

    /// <summary>Distribution-based score fusion.</summary>
    public static FusionQuery Dbsf { get; } = new(FusionMethod.Dbsf);
}

/// <summary>How a <see cref="FusionQuery"/> combines prefetches.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: the sum over prefetches of 1 / (position + k).</summary>
    Rrf,

    /// <summary>Distribution-based score fusion: each prefetch's scores mapped from [mean − 3σ, mean + 3σ] to [0, 1], then summed.</summary>
    Dbsf,
}
