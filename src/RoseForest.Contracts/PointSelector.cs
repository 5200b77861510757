using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>The points an operation applies to: a list of ids, or every point a filter matches.</summary>
public sealed class PointSelector
{
    private PointSelector(IReadOnlyList<PointId>? ids, Filter? filter)
    {
        Ids = ids;
        Filter = filter;
    }

    /// <summary>The ids, when selecting by id.</summary>
    public IReadOnlyList<PointId>? Ids { get; }

    /// <summary>The filter, when selecting by filter.</summary>
    public Filter? Filter { get; }

    /// <summary>Selects these ids.</summary>
    public static PointSelector ById(params PointId[] ids) => new(ids, null);

    /// <summary>Selects these ids.</summary>
    public static PointSelector ById(IReadOnlyList<PointId> ids) => new(ids, null);

    /// <summary>Selects every point the filter matches (resolved when the write is applied).</summary>
    public static PointSelector Where(Filter filter) => new(null, filter);
}
