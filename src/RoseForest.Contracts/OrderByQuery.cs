namespace RoseForest.Contracts;

/// <summary>
/// Points ordered by a payload value (numbers, or datetime strings as microseconds since the
/// epoch); a point with several values appears once per value. Results carry the value in
/// <see cref="ScoredPoint.OrderValue"/>.
/// </summary>
/// <param name="Key">The payload path to order by.</param>
public sealed record OrderByQuery(string Key) : Query
{
    /// <summary>Ascending (default) or descending.</summary>
    public OrderDirection Direction { get; init; }

    /// <summary>Only values from this one on (≥ ascending, ≤ descending).</summary>
    public OrderValue? StartFrom { get; init; }
}

/// <summary>The direction of an <see cref="OrderByQuery"/>.</summary>
public enum OrderDirection
{
    /// <summary>Smallest first.</summary>
    Asc,

    /// <summary>Largest first.</summary>
    Desc,
}
