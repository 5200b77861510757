using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// A condition on the values at a payload path, evaluated as Qdrant does: the path resolves to
/// zero or more values; with none (a missing field) only the is_empty/is_null forms can hold;
/// otherwise the condition holds when it holds for any value. For one value, values_count wins
/// if set, then is_empty, then is_null; otherwise match OR range, tested on the value or, for an
/// array, on any of its elements (one level).
/// </summary>
public sealed class FieldCondition : Condition
{
    /// <summary>Creates the condition; at least one clause should be set.</summary>
    public FieldCondition(PayloadPath key, Match? match, NumericRange? range, NumericRange? valuesCount, bool? isEmpty = null, bool? isNull = null)
    {
        Key = key;
        MatchClause = match;
        RangeClause = range;
        ValuesCountRange = valuesCount;
        IsEmptyFlag = isEmpty;
        IsNullFlag = isNull;
    }

    /// <summary>The payload path.</summary>
    public PayloadPath Key { get; }

    /// <summary>The match clause, or null.</summary>
    public Match? MatchClause { get; }

    /// <summary>The numeric range, or null.</summary>
    public NumericRange? RangeClause { get; }

    /// <summary>The values_count range, or null.</summary>
    public NumericRange? ValuesCountRange { get; }

    /// <summary>is_empty as a field clause, or null.</summary>
    public bool? IsEmptyFlag { get; }

    /// <summary>is_null as a field clause, or null.</summary>
    public bool? IsNullFlag { get; }

    internal override bool Matches(PointId id, JsonElement? payload)
    {
        var values = RentValues();
        if (payload is { } p)
        {
            Key.Resolve(p, values);
        }

        if (values.Count == 0)
        {
            return IsEmptyFlag ?? (IsNullFlag is { } n ? !n : false);
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
                if (CheckScalar(element))
                {
                    return true;
                }
            }

            return false;
        }

        return CheckScalar(value);
    }

    private bool CheckScalar(JsonElement value) =>
        (MatchClause is not null && MatchClause.Test(value)) ||
        (RangeClause is { } range && value.ValueKind == JsonValueKind.Number && range.Contains(value.GetDouble()));

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
