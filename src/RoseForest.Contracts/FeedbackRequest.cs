namespace RoseForest.Contracts;

/// <summary>Relevance feedback on one query: which points were right for it and which were not.</summary>
public sealed class FeedbackRequest
{
    /// <summary>The query: a <see cref="DenseVector"/>, or a <see cref="DocumentVector"/> for a vector that declares an embedding model.</summary>
    public required VectorData Query { get; init; }

    /// <summary>Points marked relevant (at least one).</summary>
    public IReadOnlyList<PointId> Relevant { get; init; } = [];

    /// <summary>Points marked irrelevant (hard negatives), optional.</summary>
    public IReadOnlyList<PointId> Irrelevant { get; init; } = [];

    /// <summary>The named vector the query is for (null: the unnamed one).</summary>
    public string? Using { get; init; }

    /// <summary>An explicit tenant string: feedback trains that tenant's own adapter (null: the collection's).</summary>
    public string? Tenant { get; init; }
}

/// <summary>What one feedback update did.</summary>
/// <param name="Updates">Updates the adapter has had in all.</param>
/// <param name="Loss">The contrastive loss of this feedback before the update.</param>
/// <param name="Negatives">Negatives it was contrasted with (irrelevant marks and sampled points).</param>
/// <param name="Replayed">Earlier feedback examples replayed in the same step.</param>
/// <param name="Version">The adapter's version after the update (a new one when it consolidated automatically).</param>
public sealed record FeedbackResult(long Updates, double Loss, int Negatives, int Replayed, int Version);
