using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>The match part of a field condition, tested on one value (arrays are unwrapped by the caller).</summary>
public abstract class Match
{
    private protected Match()
    {
    }

    internal abstract bool Test(JsonElement value);

    /// <summary>True when the value is a string or integer equal to a member of the set; null for a value of another type.</summary>
    private protected static bool? Contains(IReadOnlyList<FilterValue> set, JsonElement value)
    {
        var kind = set.Count > 0 ? set[0].Kind : FilterValueKind.Keyword;
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
}

/// <summary>The value equals the given one (same JSON type; a stored 1.0 is not the integer 1).</summary>
public sealed class MatchValue(FilterValue value) : Match
{
    /// <summary>The value.</summary>
    public FilterValue Value { get; } = value;

    internal override bool Test(JsonElement value) => Value.Matches(value);
}

/// <summary>The value is one of the given strings (or integers).</summary>
public sealed class MatchAny(FilterValue[] set) : Match
{
    /// <summary>The values.</summary>
    public IReadOnlyList<FilterValue> Set { get; } = set;

    internal override bool Test(JsonElement value) => Contains(Set, value) == true;
}

/// <summary>
/// The value is none of the given ones, with Qdrant's rules: null never matches; a value of
/// another type (bool, object, nested array, a float against integers) always does.
/// </summary>
public sealed class MatchExcept(FilterValue[] set) : Match
{
    /// <summary>The values.</summary>
    public IReadOnlyList<FilterValue> Set { get; } = set;

    internal override bool Test(JsonElement value) =>
        value.ValueKind != JsonValueKind.Null && Contains(Set, value) != true;
}

/// <summary>
/// Qdrant's <c>match.prefix</c>: a string value starts with the prefix, compared byte-wise
/// (so case-sensitive, no normalization), like an exact keyword match. Other types never match.
/// </summary>
public sealed class MatchPrefix(string prefix) : Match
{
    private readonly byte[] _utf8 = System.Text.Encoding.UTF8.GetBytes(prefix);

    /// <summary>The prefix.</summary>
    public string Prefix { get; } = prefix;

    internal override bool Test(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        return JsonText.TryGetUtf8(value, out var utf8)
            ? utf8.StartsWith(_utf8)
            : value.GetString()!.StartsWith(Prefix, StringComparison.Ordinal);
    }
}
