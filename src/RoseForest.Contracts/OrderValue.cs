using System.Globalization;

namespace RoseForest.Contracts;

/// <summary>A value points are ordered by: a 64-bit integer (also datetimes, as microseconds since the epoch) or a float.</summary>
public readonly struct OrderValue : IEquatable<OrderValue>, IComparable<OrderValue>
{
    private readonly long _integer;
    private readonly double _float;

    private OrderValue(bool isInteger, long integer, double value)
    {
        IsInteger = isInteger;
        _integer = integer;
        _float = value;
    }

    /// <summary>True for an integer value.</summary>
    public bool IsInteger { get; }

    /// <summary>The integer (for an integer value).</summary>
    public long Integer => _integer;

    /// <summary>The value as a double.</summary>
    public double AsDouble => IsInteger ? _integer : _float;

    /// <summary>An integer value.</summary>
    public static OrderValue FromInteger(long value) => new(true, value, 0);

    /// <summary>A datetime, as Qdrant orders it: microseconds since the epoch (an integer), rounded down.</summary>
    public static OrderValue FromDatetime(RoseForest.Core.Filters.FilterDateTime value) =>
        FromInteger((value.UnixSeconds * 1_000_000) + Math.Min(value.Nanoseconds / 1000, 999_999));

    /// <summary>A float value.</summary>
    public static OrderValue FromDouble(double value) => new(false, 0, value);

    /// <summary>Numeric order across integers and floats (exact for large integers); NaN sorts last.</summary>
    public int CompareTo(OrderValue other)
    {
        if (IsInteger && other.IsInteger)
        {
            return _integer.CompareTo(other._integer);
        }

        if (!IsInteger && !other.IsInteger)
        {
            return double.IsNaN(_float) || double.IsNaN(other._float) ? NaNOrder(_float, other._float) : _float.CompareTo(other._float);
        }

        return IsInteger ? -CompareFloatToInteger(other._float, _integer) : CompareFloatToInteger(_float, other._integer);
    }

    private static int NaNOrder(double a, double b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : -1;

    private static int CompareFloatToInteger(double f, long i)
    {
        if (double.IsNaN(f))
        {
            return 1;
        }

        // Beyond ±2^63 the float is outside every long; inside, compare the integral part exactly, then the fraction.
        if (f >= 9.2233720368547758E18)
        {
            return 1;
        }

        if (f < -9.2233720368547758E18)
        {
            return -1;
        }

        var whole = Math.Floor(f);
        var c = ((long)whole).CompareTo(i);
        return c != 0 ? c : (f > whole ? 1 : 0);
    }

    /// <inheritdoc />
    public bool Equals(OrderValue other) => IsInteger == other.IsInteger && _integer == other._integer && _float.Equals(other._float);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OrderValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsInteger, _integer, _float);

    /// <inheritdoc />
    public override string ToString() => IsInteger ? _integer.ToString(CultureInfo.InvariantCulture) : _float.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(OrderValue left, OrderValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(OrderValue left, OrderValue right) => !left.Equals(right);

    /// <summary>Less than.</summary>
    public static bool operator <(OrderValue left, OrderValue right) => left.CompareTo(right) < 0;

    /// <summary>Greater than.</summary>
    public static bool operator >(OrderValue left, OrderValue right) => left.CompareTo(right) > 0;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(OrderValue left, OrderValue right) => left.CompareTo(right) <= 0;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(OrderValue left, OrderValue right) => left.CompareTo(right) >= 0;
}
