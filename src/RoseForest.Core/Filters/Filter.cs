using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>
/// A filter in Qdrant's grammar: all of <see cref="Must"/>, at least one of <see cref="Should"/>
/// (when given: an empty <c>should</c> list matches nothing, as in Qdrant), none of
/// <see cref="MustNot"/>, and at least <c>min_count</c> of the <see cref="MinShould"/>
/// conditions. An empty filter matches every point.
/// </summary>
public sealed class Filter
{
    /// <summary>Creates a filter.</summary>
    public Filter(
        IReadOnlyList<Condition>? must = null,
        IReadOnlyList<Condition>? should = null,
        IReadOnlyList<Condition>? mustNot = null,
        MinShould? minShould = null)
    {
        Must = must ?? [];
        Should = should;
        MustNot = mustNot ?? [];
        MinShould = minShould;
    }

    /// <summary>A filter that matches every point.</summary>
    public static Filter Empty { get; } = new();

    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<Condition> Must { get; }

    /// <summary>Conditions of which at least one must hold; null places no constraint.</summary>
    public IReadOnlyList<Condition>? Should { get; }

    /// <summary>Conditions none of which may hold.</summary>
    public IReadOnlyList<Condition> MustNot { get; }

    /// <summary>Conditions of which at least a minimum number must hold.</summary>
    public MinShould? MinShould { get; }

    /// <summary>True when the filter places no constraint.</summary>
    public bool IsEmpty => Must.Count == 0 && Should is null && MustNot.Count == 0 && MinShould is null;

    /// <summary>A filter whose conditions must all hold.</summary>
    public static Filter Where(params Condition[] must) => new(must: must);

    /// <summary>True when the point with this id and payload passes the filter.</summary>
    public bool Matches(PointId id, JsonElement? payload)
    {
        foreach (var c in Must)
        {
            if (!c.Matches(id, payload))
            {
                return false;
            }
        }

        foreach (var c in MustNot)
        {
            if (c.Matches(id, payload))
            {
                return false;
            }
        }

        if (Should is not null)
        {
            var any = false;
            foreach (var c in Should)
            {
                if (c.Matches(id, payload))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        return MinShould is null || MinShould.Matches(id, payload);
    }
}

/// <summary>At least <see cref="MinCount"/> of <see cref="Conditions"/> must hold.</summary>
public sealed class MinShould(IReadOnlyList<Condition> conditions, int minCount)
{
    /// <summary>The candidate conditions.</summary>
    public IReadOnlyList<Condition> Conditions { get; } = conditions;

    /// <summary>How many of them must hold.</summary>
    public int MinCount { get; } = minCount;

    internal bool Matches(PointId id, JsonElement? payload)
    {
        if (MinCount <= 0)
        {
            return true;
        }

        var hits = 0;
        foreach (var c in Conditions)
        {
            if (c.Matches(id, payload) && ++hits >= MinCount)
            {
                return true;
            }
        }

        return false;
    }
}
