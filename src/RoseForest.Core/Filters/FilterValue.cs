using System.Globalization;
using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>A value a match condition compares against: a keyword (string), an integer or a bool.</summary>
public readonly struct FilterValue : IEquatable<FilterValue>
{
    private readonly string? _keyword;
    private readonly long _integer;

    private FilterValue(FilterValueKind kind, string? keyword, long integer)
    {
        Kind = kind;
        _keyword = keyword;
        _integer = integer;
    }

    /// <summary>What the value is.</summary>
    public FilterValueKind Kind { get; }

    /// <summary>A keyword value.</summary>
    public static FilterValue Keyword(string value) => new(FilterValueKind.Keyword, value, 0);

    /// <summary>An integer value.</summary>
    public static FilterValue Integer(long value) => new(FilterValueKind.Integer, null, value);

    /// <summary>A bool value.</summary>
    public static FilterValue Bool(bool value) => new(FilterValueKind.Bool, null, value ? 1 : 0);

    /// <summary>A keyword value.</summary>
    public static implicit operator FilterValue(string value) => Keyword(value);

    /// <summary>An integer value.</summary>
    public static implicit operator FilterValue(long value) => Integer(value);

    /// <summary>A bool value.</summary>
    public static implicit operator FilterValue(bool value) => Bool(value);

    /// <summary>The string, for a keyword value.</summary>
    public string KeywordValue => _keyword!;

    /// <summary>The number, for an integer value.</summary>
    public long IntegerValue => _integer;

    /// <summary>The flag, for a bool value.</summary>
    public bool BoolValue => _integer != 0;

    /// <summary>True when a payload value equals this one (same JSON type; integers must be integral).</summary>
    internal bool Matches(JsonElement value) => Kind switch
    {
        FilterValueKind.Keyword => value.ValueKind == JsonValueKind.String && value.ValueEquals(_keyword),
        FilterValueKind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n == _integer,
        FilterValueKind.Bool => value.ValueKind == (_integer != 0 ? JsonValueKind.True : JsonValueKind.False),
        _ => false,
    };

    /// <inheritdoc />
    public bool Equals(FilterValue other) => Kind == other.Kind && _integer == other._integer && string.Equals(_keyword, other._keyword, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FilterValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _keyword, _integer);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FilterValueKind.Keyword => _keyword!,
        FilterValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => _integer != 0 ? "true" : "false",
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(FilterValue left, FilterValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FilterValue left, FilterValue right) => !left.Equals(right);
}

/// <summary>The type of a <see cref="FilterValue"/>.</summary>
public enum FilterValueKind
{
    /// <summary>A string compared for exact equality.</summary>
    Keyword,

    /// <summary>A 64-bit integer.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Bool,
}
