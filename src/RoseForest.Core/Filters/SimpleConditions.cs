using System.Text.Json;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>Every value at the path is null or an empty array (so a missing field is empty).</summary>
public sealed class IsEmptyCondition(PayloadPath key) : Condition
{
    /// <summary>The payload path.</summary>
    public PayloadPath Key { get; } = key;

    internal override bool Matches(in FilterPoint point, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return true;
        }

        using var scope = ValueScope.Rent();
        Key.Resolve(p, scope.Values);
        foreach (var v in scope.Values)
        {
            var empty = v.ValueKind == JsonValueKind.Null || (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0);
            if (!empty)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Some value at the path is null (an array holding null is not null itself).</summary>
public sealed class IsNullCondition(PayloadPath key) : Condition
{
    /// <summary>The payload path.</summary>
    public PayloadPath Key { get; } = key;

    internal override bool Matches(in FilterPoint point, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return false;
        }

        using var scope = ValueScope.Rent();
        Key.Resolve(p, scope.Values);
        foreach (var v in scope.Values)
        {
            if (v.ValueKind == JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The point's id is in the set (never inside a nested filter, as in Qdrant).</summary>
public sealed class HasIdCondition(IEnumerable<PointId> ids) : Condition
{
    /// <summary>The ids.</summary>
    public IReadOnlySet<PointId> Ids { get; } = new HashSet<PointId>(ids);

    internal override bool Matches(in FilterPoint point, JsonElement? payload) => !point.InNested && Ids.Contains(point.Id);
}

/// <summary>
/// The point has a vector of this name (<c>""</c>: the unnamed vector). A name the collection does
/// not have matches nothing, as in Qdrant; inside a nested filter it never matches.
/// </summary>
public sealed class HasVectorCondition(string vectorName) : Condition
{
    /// <summary>The vector name.</summary>
    public string VectorName { get; } = vectorName;

    internal override bool Matches(in FilterPoint point, JsonElement? payload) => point.HasVector(VectorName);
}

/// <summary>A filter used as a condition.</summary>
public sealed class FilterCondition(Filter filter) : Condition
{
    /// <summary>The nested filter.</summary>
    public Filter Filter { get; } = filter;

    internal override bool Matches(in FilterPoint point, JsonElement? payload) => Filter.Matches(point, payload);

    internal override Condition BindTokenizers(TokenizerBinding binding, PayloadPath? prefix)
    {
        var bound = Filter.BindTokenizers(binding, prefix);
        return ReferenceEquals(bound, Filter) ? this : new FilterCondition(bound);
    }
}
