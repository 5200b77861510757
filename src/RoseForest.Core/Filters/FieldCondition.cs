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
internal sealed class FieldCondition : Condition
{
    public FieldCondition(PayloadPath key, Match? match, NumericRange? range, NumericRange? valuesCount, bool? isEmpty = null, bool? isNull = null)
    {
        Key = key;
        MatchClause = match;
        RangeClause = range;
        ValuesCountRange = valuesCount;
        IsEmptyFlag = isEmpty;
        IsNullFlag = isNull;
    }

    public PayloadPath Key { get; }

    public Match? MatchClause { get; }

    public NumericRange? RangeClause { get; }

    public NumericRange? ValuesCountRange { get; }

    public bool? IsEmptyFlag { get; }

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

    internal override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("key", Key.Text);
        if (MatchClause is not null)
        {
            writer.WritePropertyName("match");
            MatchClause.WriteTo(writer);
        }

        if (RangeClause is { } r)
        {
            writer.WritePropertyName("range");
            r.WriteTo(writer);
        }

        if (ValuesCountRange is { } c)
        {
            writer.WritePropertyName("values_count");
            c.WriteTo(writer);
        }

        if (IsEmptyFlag is { } e)
        {
            writer.WriteBoolean("is_empty", e);
        }

        if (IsNullFlag is { } n)
        {
            writer.WriteBoolean("is_null", n);
        }

        writer.WriteEndObject();
    }
}
