using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>
/// A query whose results are grouped by a payload value (Qdrant's <c>/points/query/groups</c>):
/// the best <see cref="Limit"/> groups, ordered by their best hit, each with its best
/// <see cref="GroupSize"/> hits. A point with several values (an array) joins each group; points
/// whose value is missing, or not a string or an integer, are left out.
/// </summary>
public sealed class QueryGroupsRequest
{
    /// <summary>The query; its <see cref="QueryRequest.Limit"/> and <see cref="QueryRequest.Offset"/> are not used (prefetch limits are multiplied by <see cref="GroupSize"/>, as Qdrant does).</summary>
    public required QueryRequest Query { get; init; }

    /// <summary>The payload path to group by.</summary>
    public required string GroupBy { get; init; }

    /// <summary>Hits per group (default 3).</summary>
    public int GroupSize { get; init; } = 3;

    /// <summary>How many groups (default 10).</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Also read, for each group, the point whose id is the group's value from another collection.</summary>
    public WithLookup? WithLookup { get; init; }
}

/// <summary>Where <see cref="QueryGroupsRequest"/> looks up one point per group (its id is the group's value).</summary>
/// <param name="Collection">The collection to read from.</param>
public sealed record WithLookup(string Collection)
{
    /// <summary>Which payload to return (default all).</summary>
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.All;

    /// <summary>Which vectors to return (default none).</summary>
    public VectorSelector WithVectors { get; init; } = VectorSelector.None;
}

/// <summary>One group of a grouped query.</summary>
/// <param name="Id">The group's value: a JSON string or integer.</param>
/// <param name="Hits">The group's best hits, best first.</param>
/// <param name="Lookup">The point looked up by the group's value, when asked for and found.</param>
public sealed record PointGroup(JsonElement Id, IReadOnlyList<ScoredPoint> Hits, Record? Lookup);
