using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>One page of points in id order.</summary>
public sealed class ScrollRequest
{
    /// <summary>The page size; at least 1.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Start at this id (inclusive), as returned in <see cref="ScrollPage.NextOffset"/>.</summary>
    public PointId? Offset { get; init; }

    /// <summary>Only points that match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Which payload to return.</summary>
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.All;

    /// <summary>Return the stored vectors.</summary>
    public VectorSelector WithVector { get; init; } = VectorSelector.None;
}

/// <summary>A page of a scroll and where the next page starts (null at the end).</summary>
/// <param name="Points">The points, in id order.</param>
/// <param name="NextOffset">The id to pass as the next offset, or null.</param>
public sealed record ScrollPage(IReadOnlyList<Record> Points, PointId? NextOffset);
