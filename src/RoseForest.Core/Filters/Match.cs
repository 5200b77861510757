using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>The match part of a field condition, tested on one value (arrays are unwrapped by the caller).</summary>
internal abstract class Match
{
    public abstract bool Test(JsonElement value);

    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>True when the value is a string or integer equal to a member of the set; null for a value of another type.</summary>
    protected static bool? Contains(FilterValue[] set, JsonElement value)
    {
        var kind = set.Length > 0 ? set[0].Kind : FilterValueKind.Keyword;
        switch (value.ValueKind)
        {
            case JsonValueKind.String when kind == FilterValueKind.Keyword:
                foreach (var candidate in set)
                {
                    if (value.ValueEquals(candidate.KeywordValue))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Number when kind == FilterValueKind.Integer:
                if (!value.TryGetInt64(out var n))
                {
                    return null;
                }

                foreach (var candidate in set)
                {
                    if (candidate.IntegerValue == n)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return null;
        }
    }

    protected static void WriteArray(Utf8JsonWriter writer, string name, FilterValue[] values)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            v.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>The value equals the given one (same JSON type; a stored 1.0 is not the integer 1).</summary>
internal sealed class MatchValue(FilterValue value) : Match
{
    public FilterValue Value { get; } = value;

    public override bool Test(JsonElement value) => Value.Matches(value);

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("value");
        Value.WriteTo(writer);
        writer.WriteEndObject();
    }
}

/// <summary>The value is one of the given strings (or integers).</summary>
internal sealed class MatchAny(FilterValue[] set) : Match
{
    public FilterValue[] Set { get; } = set;

    public override bool Test(JsonElement value) => Contains(Set, value) == true;

    public override void WriteTo(Utf8JsonWriter writer) => WriteArray(writer, "any", Set);
}

/// <summary>
/// The value is none of the given ones, with Qdrant's rules: null never matches; a value of
/// another type (bool, object, nested array, a float against integers) always does.
/// </summary>
internal sealed class MatchExcept(FilterValue[] set) : Match
{
    public FilterValue[] Set { get; } = set;

    public override bool Test(JsonElement value) =>
        value.ValueKind != JsonValueKind.Null && Contains(Set, value) != true;

    public override void WriteTo(Utf8JsonWriter writer) => WriteArray(writer, "except", Set);
}
