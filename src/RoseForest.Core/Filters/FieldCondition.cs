using System.Text.Json;
using RoseForest.Core.Filters.Geo;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// A condition on the values at a payload path, evaluated as Qdrant does
/// (lib/segment/src/payload_storage/condition_checker.rs): the path resolves to zero or more
/// values. With none (a missing field) values_count is tested against 0, is_empty holds,
/// is_null does not, and anything else fails. Otherwise the condition holds when it holds for
/// any value: values_count wins if set (null counts 0, an array its length, anything else 1),
/// then is_empty, then is_null; otherwise match OR range OR the geo clauses, tested on the value
/// or, for an array, on any of its elements (one level).
/// </summary>
public sealed class FieldCondition : Condition
{
    /// <summary>
    /// Creates the condition; at least one clause should be set, at most one of
    /// <paramref name="range"/> and <paramref name="datetimeRange"/> (Qdrant's one <c>range</c>
    /// field), and <paramref name="valuesCount"/>'s bounds must not be negative.
    /// </summary>
    public FieldCondition(
        PayloadPath key,
        Match? match,
        NumericRange? range,
        NumericRange? valuesCount,
        bool? isEmpty = null,
        bool? isNull = null,
        DatetimeRange? datetimeRange = null,
        GeoRadius? geoRadius = null,
        GeoBoundingBox? geoBoundingBox = null,
        GeoPolygon? geoPolygon = null)
    {
        if (range is not null && datetimeRange is not null)
        {
            throw new ArgumentException("A field condition has one range: numeric or datetime, not both.", nameof(datetimeRange));
        }

        if (valuesCount is { } c && (c.Gt < 0 || c.Gte < 0 || c.Lt < 0 || c.Lte < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(valuesCount), "values_count bounds are counts: not negative.");
        }

        Key = key;
        MatchClause = match;
        RangeClause = range;
        ValuesCountRange = valuesCount;
        IsEmptyFlag = isEmpty;
        IsNullFlag = isNull;
        DatetimeRangeClause = datetimeRange;
        GeoRadiusClause = geoRadius;
        GeoBoundingBoxClause = geoBoundingBox;
        GeoPolygonClause = geoPolygon;
    }

    /// <summary>The payload path.</summary>
    public PayloadPath Key { get; }

    /// <summary>The match clause, or null.</summary>
    public Match? MatchClause { get; }

    /// <summary>The numeric range, or null.</summary>
    public NumericRange? RangeClause { get; }

    /// <summary>The datetime range, or null.</summary>
    public DatetimeRange? DatetimeRangeClause { get; }

    /// <summary>The geo radius, or null.</summary>
    public GeoRadius? GeoRadiusClause { get; }

    /// <summary>The geo bounding box, or null.</summary>
    public GeoBoundingBox? GeoBoundingBoxClause { get; }

    /// <summary>The geo polygon, or null.</summary>
    public GeoPolygon? GeoPolygonClause { get; }

    /// <summary>The values_count range, or null.</summary>
    public NumericRange? ValuesCountRange { get; }

    /// <summary>is_empty as a field clause, or null.</summary>
    public bool? IsEmptyFlag { get; }

    /// <summary>is_null as a field clause, or null.</summary>
    public bool? IsNullFlag { get; }

    internal override bool Matches(in FilterPoint point, JsonElement? payload)
    {
        using var scope = ValueScope.Rent();
        var values = scope.Values;
        if (payload is { } p)
        {
            Key.Resolve(p, values);
        }

        if (values.Count == 0)
        {
            return CheckMissing();
        }

        foreach (var v in values)
        {
            if (Check(v))
            {
                return true;
            }
        }

        return false;
    }

    internal override Condition BindTokenizers(TokenizerBinding binding, PayloadPath? prefix)
    {
        if (MatchClause is not TextMatch text)
        {
            return this;
        }

        var tokenizer = binding.For(prefix is null ? Key : prefix.Append(Key));
        if (ReferenceEquals(tokenizer, text.Tokenizer))
        {
            return this;
        }

        return new FieldCondition(Key, text.WithTokenizer(tokenizer), RangeClause, ValuesCountRange, IsEmptyFlag, IsNullFlag,
            DatetimeRangeClause, GeoRadiusClause, GeoBoundingBoxClause, GeoPolygonClause);
    }

    private bool CheckMissing()
    {
        if (ValuesCountRange is { } count)
        {
            return count.Contains(0);
        }

        if (IsEmptyFlag is { } empty)
        {
            return empty;
        }

        return IsNullFlag is { } isNull && !isNull;
    }

    private bool Check(JsonElement value)
    {
        if (ValuesCountRange is { } count)
        {
            var n = value.ValueKind switch
            {
                JsonValueKind.Null => 0,
                JsonValueKind.Array => value.GetArrayLength(),
                _ => 1,
            };
            return count.Contains(n);
        }

        if (IsEmptyFlag is { } empty)
        {
            return value.ValueKind switch
            {
                JsonValueKind.Null => empty,
                JsonValueKind.Array => (value.GetArrayLength() == 0) == empty,
                _ => !empty,
            };
        }

        if (IsNullFlag is { } isNull)
        {
            return value.ValueKind switch
            {
                JsonValueKind.Null => isNull,
                JsonValueKind.Array => AnyNullElement(value) == isNull,
                _ => !isNull,
            };
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (CheckOne(element))
                {
                    return true;
                }
            }

            return false;
        }

        return CheckOne(value);
    }

    /// <summary>One value (an array's element is not unwrapped again): the clauses are OR-ed, as in Qdrant.</summary>
    private bool CheckOne(JsonElement value) =>
        (MatchClause is not null && MatchClause.Test(value)) ||
        (RangeClause is { } range && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var x) && range.Contains(x)) ||
        (DatetimeRangeClause is { } dates && dates.Test(value)) ||
        (GeoRadiusClause is { } radius && GeoPoint.TryRead(value, out var a) && radius.Contains(a)) ||
        (GeoBoundingBoxClause is { } box && GeoPoint.TryRead(value, out var b) && box.Contains(b)) ||
        (GeoPolygonClause is { } polygon && GeoPoint.TryRead(value, out var c) && polygon.Contains(c));

    private static bool AnyNullElement(JsonElement array)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }
}
