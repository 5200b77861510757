using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>Counts of the values of a payload key (Qdrant's <c>/facet</c>): strings, integers and bools; each point counts once per distinct value.</summary>
public sealed class FacetRequest
{
    /// <summary>The payload path.</summary>
    public required string Key { get; init; }

    /// <summary>How many values (default 10): the most frequent, equal counts by value.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Only points that match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Exact counts (RoseForest always counts exactly).</summary>
    public bool Exact { get; init; }
}

/// <summary>A value and how many points have it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Count">The number of points.</param>
public sealed record FacetHit(FilterValue Value, long Count);
