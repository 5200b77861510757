using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// One clause of a <see cref="Filter"/>: a field condition (match, range, values_count),
/// is_empty, is_null, has_id, or a nested filter. Build them with the static methods here or
/// parse Qdrant JSON with RoseForest.Contracts.Qdrant.QdrantFilter.
/// </summary>
public abstract class Condition
{
    private protected Condition()
    {
    }

    /// <summary>True when the point satisfies the condition.</summary>
    internal abstract bool Matches(PointId id, JsonElement? payload);

    /// <summary>key equals value (any element, for an array field; use a[].b to reach into arrays of objects).</summary>
    public static Condition Match(string key, FilterValue value) => new FieldCondition(PayloadPath.Parse(key), new MatchValue(value), null, null);

    /// <summary>key equals one of the values.</summary>
    public static Condition MatchAny(string key, params FilterValue[] values) => new FieldCondition(PayloadPath.Parse(key), new MatchAny(values), null, null);

    /// <summary>key has a value outside the given ones (a missing or null field does not match).</summary>
    public static Condition MatchExcept(string key, params FilterValue[] values) => new FieldCondition(PayloadPath.Parse(key), new MatchExcept(values), null, null);

    /// <summary>A numeric range on key; null bounds are open.</summary>
    public static Condition Range(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null) =>
        new FieldCondition(PayloadPath.Parse(key), null, new NumericRange(gt, gte, lt, lte), null);

    /// <summary>The number of values at key lies in the range.</summary>
    public static Condition ValuesCount(string key, long? gt = null, long? gte = null, long? lt = null, long? lte = null) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, new NumericRange(gt, gte, lt, lte));

    /// <summary>key is missing, null, or an empty array.</summary>
    public static Condition IsEmpty(string key) => new IsEmptyCondition(PayloadPath.Parse(key));

    /// <summary>key is present and null.</summary>
    public static Condition IsNull(string key) => new IsNullCondition(PayloadPath.Parse(key));

    /// <summary>The point's id is one of the ids.</summary>
    public static Condition HasId(params PointId[] ids) => new HasIdCondition(ids);

    /// <summary>A nested filter used as one condition.</summary>
    public static Condition Nested(Filter filter) => new FilterCondition(filter);

    /// <summary>A thread's reusable list for the values found at a path (no allocation per point).</summary>
    [ThreadStatic]
    private static List<JsonElement>? t_values;

    private protected static List<JsonElement> RentValues()
    {
        var list = t_values ??= new List<JsonElement>(8);
        list.Clear();
        return list;
    }
}
