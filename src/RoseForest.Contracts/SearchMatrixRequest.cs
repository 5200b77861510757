using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>A distance matrix (Qdrant's <c>/points/search/matrix/*</c>): a random sample of points, and for each its nearest among the sample.</summary>
public sealed class SearchMatrixRequest
{
    /// <summary>Only points that match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>How many points to sample (default 10, at least 2).</summary>
    public int Sample { get; init; } = 10;

    /// <summary>Neighbours per sampled point (default 3).</summary>
    public int Limit { get; init; } = 3;

    /// <summary>Which vector (<c>""</c> or null: the unnamed vector).</summary>
    public string? Using { get; init; }
}

/// <summary>The result of a <see cref="SearchMatrixRequest"/>.</summary>
/// <param name="Ids">The sampled points, in id order (the rows and columns of the matrix).</param>
/// <param name="Pairs">For each sampled point in order, its nearest other sampled points, best first.</param>
public sealed record SearchMatrix(IReadOnlyList<PointId> Ids, IReadOnlyList<SearchMatrixPair> Pairs);

/// <summary>One entry of a <see cref="SearchMatrix"/>.</summary>
/// <param name="A">The sampled point.</param>
/// <param name="B">One of its nearest.</param>
/// <param name="Score">Their score, as a nearest query would report it.</param>
public sealed record SearchMatrixPair(PointId A, PointId B, double Score);
