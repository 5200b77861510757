using System.Text.Json;
using RoseForest.Core.Filters.Geo;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// One clause of a <see cref="Filter"/>: a field condition (match, range, geo, values_count,
/// is_empty, is_null), is_empty, is_null, has_id, has_vector, slice, nested, or a filter used as
/// a condition. Build them with the static methods here or parse Qdrant JSON with
/// RoseForest.Contracts.Qdrant.QdrantFilter.
/// </summary>
public abstract class Condition
{
    private protected Condition()
    {
    }

    /// <summary>True when the point satisfies the condition; <paramref name="payload"/> is the payload, or the array element inside a nested filter.</summary>
    internal abstract bool Matches(in FilterPoint point, JsonElement? payload);

    /// <summary>The condition with full-text matches re-tokenized as <paramref name="binding"/> says; <paramref name="prefix"/> is the nested path this condition sits under.</summary>
    internal virtual Condition BindTokenizers(TokenizerBinding binding, PayloadPath? prefix) => this;

    /// <summary>key equals value (any element, for an array field; use a[].b to reach into arrays of objects).</summary>
    public static Condition Match(string key, FilterValue value) => Field(key, new MatchValue(value));

    /// <summary>key satisfies the match (value, any, except, text, phrase, text_any or prefix).</summary>
    public static Condition Match(string key, Match match) => Field(key, match);

    /// <summary>key equals one of the values.</summary>
    public static Condition MatchAny(string key, params FilterValue[] values) => Field(key, new MatchAny(values));

    /// <summary>key has a value outside the given ones (a missing or null field does not match).</summary>
    public static Condition MatchExcept(string key, params FilterValue[] values) => Field(key, new MatchExcept(values));

    /// <summary>Full text: every token of <paramref name="text"/> is a token of the value (Qdrant's <c>match.text</c>).</summary>
    public static Condition Text(string key, string text) => Field(key, new MatchText(text));

    /// <summary>Full text: the tokens of <paramref name="phrase"/> appear in the value adjacent and in order.</summary>
    public static Condition Phrase(string key, string phrase) => Field(key, new MatchPhrase(phrase));

    /// <summary>Full text: some token of <paramref name="text"/> is a token of the value.</summary>
    public static Condition TextAny(string key, string text) => Field(key, new MatchTextAny(text));

    /// <summary>A string value starts with <paramref name="prefix"/> (ordinal, case-sensitive).</summary>
    public static Condition Prefix(string key, string prefix) => Field(key, new MatchPrefix(prefix));

    /// <summary>A numeric range on key; null bounds are open.</summary>
    public static Condition Range(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null) =>
        new FieldCondition(PayloadPath.Parse(key), null, new NumericRange(gt, gte, lt, lte), null);

    /// <summary>A datetime range on key: string values parsed as datetimes and compared as instants.</summary>
    public static Condition Range(string key, DatetimeRange range) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, null, datetimeRange: range);

    /// <summary>A geo point at key lies within <paramref name="radius"/>.</summary>
    public static Condition Geo(string key, GeoRadius radius) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, null, geoRadius: radius);

    /// <summary>A geo point at key lies inside <paramref name="box"/>.</summary>
    public static Condition Geo(string key, GeoBoundingBox box) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, null, geoBoundingBox: box);

    /// <summary>A geo point at key lies inside <paramref name="polygon"/> (not on its boundary, not in a hole).</summary>
    public static Condition Geo(string key, GeoPolygon polygon) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, null, geoPolygon: polygon);

    /// <summary>The number of values at key lies in the range (a missing field counts 0).</summary>
    public static Condition ValuesCount(string key, long? gt = null, long? gte = null, long? lt = null, long? lte = null) =>
        new FieldCondition(PayloadPath.Parse(key), null, null, new NumericRange(gt, gte, lt, lte));

    /// <summary>key is missing, null, or an empty array.</summary>
    public static Condition IsEmpty(string key) => new IsEmptyCondition(PayloadPath.Parse(key));

    /// <summary>key is present and null.</summary>
    public static Condition IsNull(string key) => new IsNullCondition(PayloadPath.Parse(key));

    /// <summary>The point's id is one of the ids.</summary>
    public static Condition HasId(params PointId[] ids) => new HasIdCondition(ids);

    /// <summary>The point has a vector named <paramref name="vectorName"/> (<c>""</c>: the unnamed vector).</summary>
    public static Condition HasVector(string vectorName) => new HasVectorCondition(vectorName);

    /// <summary>The point's id falls into slice <paramref name="index"/> of <paramref name="total"/>.</summary>
    public static Condition Slice(uint total, uint index) => new SliceCondition(total, index);

    /// <summary>A nested filter used as one condition.</summary>
    public static Condition Nested(Filter filter) => new FilterCondition(filter);

    /// <summary>Qdrant's <c>nested</c>: some object element of the array at key satisfies <paramref name="filter"/> on its own.</summary>
    public static Condition Nested(string key, Filter filter) => new NestedCondition(PayloadPath.Parse(key), filter);

    private static FieldCondition Field(string key, Match match) => new(PayloadPath.Parse(key), match, null, null);
}
