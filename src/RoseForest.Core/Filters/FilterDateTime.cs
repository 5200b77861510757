using System.Globalization;
using System.Text;

namespace RoseForest.Core.Filters;

/// <summary>
/// An instant as Qdrant's datetime filters compare it: seconds since the Unix epoch (UTC) and
/// nanoseconds, parsed from the text forms Qdrant accepts (its <c>DateTimeWrapper::from_str</c>).
/// A leap second (<c>:60</c>) is second 59 with 1e9 nanoseconds or more, as chrono keeps it, so it
/// sorts after <c>:59.999999999</c> and before the next minute.
/// </summary>
public readonly partial struct FilterDateTime : IEquatable<FilterDateTime>, IComparable<FilterDateTime>
{
    private const long SecondsPerDay = 86_400;

    private FilterDateTime(long unixSeconds, int nanoseconds)
    {
        UnixSeconds = unixSeconds;
        Nanoseconds = nanoseconds;
    }

    /// <summary>Whole seconds since 1970-01-01T00:00:00Z.</summary>
    public long UnixSeconds { get; }

    /// <summary>Nanoseconds past <see cref="UnixSeconds"/>: below 1e9, or up to 2e9 during a leap second.</summary>
    public int Nanoseconds { get; }

    /// <summary>The instant of a <see cref="DateTimeOffset"/>.</summary>
    public static FilterDateTime FromDateTimeOffset(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new FilterDateTime(seconds, (int)(rest * 100));
    }

    /// <summary>The instant of a <see cref="DateTimeOffset"/>.</summary>
    public static implicit operator FilterDateTime(DateTimeOffset value) => FromDateTimeOffset(value);

    /// <summary>Parses a datetime in one of the forms Qdrant accepts, or throws <see cref="FormatException"/>.</summary>
    public static FilterDateTime Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' does not match accepted datetime format (RFC3339). Example: 2014-01-01T00:00:00Z");

    /// <summary>
    /// Parses a datetime as Qdrant does: RFC 3339 (<c>2014-01-01T00:00:00Z</c>, <c>…+01:00</c>, with
    /// <c>T</c>, <c>t</c> or a space between date and time, any fraction of a second), offsets
    /// written <c>+0100</c> or <c>+01</c>, <c>UTC</c> as a zone; and without a zone, taken as UTC:
    /// <c>2014-01-01T00:00:00[.f]</c>, <c>2014-01-01T00:00</c> (also with a space) and
    /// <c>2014-01-01</c>. Month, day, hour, minute and second may have one digit; the year has four.
    /// </summary>
    public static bool TryParse(string? text, out FilterDateTime value)
    {
        value = default;
        if (text is null || text.Length > 128 || !Ascii.IsValid(text))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[text.Length];
        Encoding.ASCII.GetBytes(text, bytes);
        return TryParse(bytes, out value);
    }

    /// <inheritdoc />
    public bool Equals(FilterDateTime other) => UnixSeconds == other.UnixSeconds && Nanoseconds == other.Nanoseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FilterDateTime other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(UnixSeconds, Nanoseconds);

    /// <inheritdoc />
    public int CompareTo(FilterDateTime other)
    {
        var c = UnixSeconds.CompareTo(other.UnixSeconds);
        return c != 0 ? c : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    /// <summary>RFC 3339 in UTC, with as many fraction digits as needed: <c>2014-01-01T00:00:00.5Z</c>.</summary>
    public override string ToString()
    {
        var leap = Nanoseconds >= 1_000_000_000;
        var nanos = leap ? Nanoseconds - 1_000_000_000 : Nanoseconds;
        var days = Math.DivRem(UnixSeconds, SecondsPerDay, out var secondOfDay);
        if (secondOfDay < 0)
        {
            days--;
            secondOfDay += SecondsPerDay;
        }

        var (year, month, day) = CivilFromDays(days);
        var second = (int)(secondOfDay % 60) + (leap ? 1 : 0);
        var text = string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}T{secondOfDay / 3600:D2}:{secondOfDay / 60 % 60:D2}:{second:D2}");
        if (nanos != 0)
        {
            text += "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return text + "Z";
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var monthFromMarch = month > 2 ? month - 3 : month + 9;
        var dayOfYear = ((153 * monthFromMarch) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097) + dayOfEra - 719_468;
    }

    /// <summary>The inverse of <see cref="DaysFromCivil"/>.</summary>
    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719_468;
        var era = (days >= 0 ? days : days - 146_096) / 146_097;
        var dayOfEra = days - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var monthFromMarch = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * monthFromMarch) + 2) / 5) + 1);
        var month = (int)(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        return (yearOfEra + (era * 400) + (month <= 2 ? 1 : 0), month, day);
    }

    /// <inheritdoc cref="IComparable{T}.CompareTo" />
    public static bool operator <(FilterDateTime left, FilterDateTime right) => left.CompareTo(right) < 0;

    /// <inheritdoc cref="IComparable{T}.CompareTo" />
    public static bool operator >(FilterDateTime left, FilterDateTime right) => left.CompareTo(right) > 0;

    /// <inheritdoc cref="IComparable{T}.CompareTo" />
    public static bool operator <=(FilterDateTime left, FilterDateTime right) => left.CompareTo(right) <= 0;

    /// <inheritdoc cref="IComparable{T}.CompareTo" />
    public static bool operator >=(FilterDateTime left, FilterDateTime right) => left.CompareTo(right) >= 0;

    /// <summary>Equality.</summary>
    public static bool operator ==(FilterDateTime left, FilterDateTime right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FilterDateTime left, FilterDateTime right) => !left.Equals(right);
}
