using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>Every value at the path is null or an empty array (so a missing field is empty).</summary>
public sealed class IsEmptyCondition(PayloadPath key) : Condition
{
    /// <summary>The payload path.</summary>
    public PayloadPath Key { get; } = key;

    internal override bool Matches(PointId id, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return true;
        }

        var values = RentValues();
        Key.Resolve(p, values);
        foreach (var v in values)
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

    internal override bool Matches(PointId id, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return false;
        }

        var values = RentValues();
        Key.Resolve(p, values);
        foreach (var v in values)
        {
            if (v.ValueKind == JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The point's id is in the set.</summary>
public sealed class HasIdCondition(IEnumerable<PointId> ids) : Condition
{
    /// <summary>The ids.</summary>
    public IReadOnlySet<PointId> Ids { get; } = new HashSet<PointId>(ids);

    internal override bool Matches(PointId id, JsonElement? payload) => Ids.Contains(id);
}

/// <summary>A nested filter used as a condition.</summary>
public sealed class FilterCondition(Filter filter) : Condition
{
    /// <summary>The nested filter.</summary>
    public Filter Filter { get; } = filter;

    internal override bool Matches(PointId id, JsonElement? payload) => Filter.Matches(id, payload);
}
