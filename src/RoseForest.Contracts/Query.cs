namespace RoseForest.Contracts;

/// <summary>
/// What a query (or a prefetch) scores points by, Qdrant's universal <c>query</c>: the nearest
/// points to a vector (<see cref="NearestQuery"/>, optionally with <see cref="Mmr"/>), a
/// recommendation (<see cref="RecommendQuery"/>), a discovery or context search
/// (<see cref="DiscoverQuery"/>, <see cref="ContextQuery"/>), a payload order
/// (<see cref="OrderByQuery"/>), the fusion of prefetches (<see cref="FusionQuery"/>), a score
/// formula (<see cref="FormulaQuery"/>) or a random sample (<see cref="SampleQuery"/>).
/// </summary>
public abstract record Query
{
    private protected Query()
    {
    }
}

/// <summary>The points nearest to a vector, by the geometry of the vector searched.</summary>
/// <param name="Vector">The vector, or a point whose vector is used.</param>
public sealed record NearestQuery(VectorInput Vector) : Query
{
    /// <summary>Re-rank the nearest candidates by maximal marginal relevance, trading relevance for diversity.</summary>
    public Mmr? Mmr { get; init; }
}

/// <summary>Maximal marginal relevance: picks, one at a time, the candidate with the best λ·relevance − (1−λ)·(its highest similarity to those already picked).</summary>
public sealed record Mmr
{
    /// <summary>Diversity in [0, 1] (λ = 1 − diversity); default 0.5.</summary>
    public double? Diversity { get; init; }

    /// <summary>How many nearest candidates to re-rank (at most 16384); default: the query's limit.</summary>
    public int? CandidatesLimit { get; init; }
}

/// <summary>A random sample of the points that match (Qdrant's <c>{"sample": "random"}</c>).</summary>
public sealed record SampleQuery : Query
{
    /// <summary>The one sampling method, random.</summary>
    public static SampleQuery Random { get; } = new();
}
