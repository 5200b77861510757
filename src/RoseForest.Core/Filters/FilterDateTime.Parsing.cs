using System.Text;

namespace RoseForest.Core.Filters;

public readonly partial struct FilterDateTime
{
    /// <summary>
    /// Parses ASCII text (a payload string's raw UTF-8, or a filter bound). The union of the forms
    /// Qdrant's <c>DateTimeWrapper::from_str</c> tries in turn (chrono's RFC 3339 parser, its relaxed
    /// RFC 3339 <c>FromStr</c>, <c>%Y-%m-%d[T ]%H:%M:%S%.f%#z</c>, then the zone-less forms as UTC):
    /// <code>
    /// date   = YYYY "-" M[M] "-" D[D]                     (alone: midnight UTC)
    /// time   = h[h] ":" m[m] [ ":" s[s] [ "." digit+ ] ]
    /// zoned  = date ("T" | "t" | " ") time-with-seconds [spaces] ("Z" | "z" | "UTC" | sign HH [[":"] MM]) [spaces]
    /// naive  = date ("T" | " ") time                      (UTC)
    /// </code>
    /// An offset without minutes comes only from the <c>%#z</c> form, so it allows no trailing spaces
    /// and no <c>t</c>. Fraction digits past the ninth are ignored, as chrono ignores them.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<byte> s, out FilterDateTime value)
    {
        value = default;
        var i = 0;
        if (!Number(s, ref i, 4, 4, out var year) || !Literal(s, ref i, (byte)'-') ||
            !Number(s, ref i, 1, 2, out var month) || !Literal(s, ref i, (byte)'-') ||
            !Number(s, ref i, 1, 2, out var day) || month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return false;
        }

        if (i == s.Length)
        {
            value = new FilterDateTime(DaysFromCivil(year, month, day) * SecondsPerDay, 0);
            return true;
        }

        var separator = s[i++];
        if (separator is not ((byte)'T' or (byte)'t' or (byte)' ') ||
            !Number(s, ref i, 1, 2, out var hour) || !Literal(s, ref i, (byte)':') || !Number(s, ref i, 1, 2, out var minute) ||
            hour > 23 || minute > 59)
        {
            return false;
        }

        int second = 0, nanos = 0;
        var hasSeconds = i < s.Length && s[i] == (byte)':';
        if (hasSeconds)
        {
            i++;
            if (!Number(s, ref i, 1, 2, out second) || second > 60 || !Fraction(s, ref i, out nanos))
            {
                return false;
            }
        }

        int offsetSeconds;
        if (i == s.Length)
        {
            if (separator == (byte)'t')
            {
                return false;
            }

            offsetSeconds = 0;
        }
        else if (!hasSeconds || !Offset(s, i, separator, out offsetSeconds))
        {
            return false;
        }

        if (second == 60)
        {
            second = 59;
            nanos += 1_000_000_000;
        }

        var seconds = (DaysFromCivil(year, month, day) * SecondsPerDay) + (hour * 3600) + (minute * 60) + second - offsetSeconds;
        value = new FilterDateTime(seconds, nanos);
        return true;
    }

    /// <summary>The zone at s[i..] through the end: Z, UTC or ±HH[[:]MM], after optional spaces, and spaces after it unless minutes are missing.</summary>
    private static bool Offset(ReadOnlySpan<byte> s, int i, byte separator, out int offsetSeconds)
    {
        offsetSeconds = 0;
        while (i < s.Length && s[i] == (byte)' ')
        {
            i++;
        }

        if (i == s.Length)
        {
            return false;
        }

        var relaxed = true;
        if (s[i] is (byte)'Z' or (byte)'z')
        {
            i++;
        }
        else if (s.Length - i >= 3 && Ascii.EqualsIgnoreCase(s.Slice(i, 3), "UTC"u8))
        {
            i += 3;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            var sign = s[i++] == (byte)'-' ? -1 : 1;
            if (!Number(s, ref i, 2, 2, out var hours))
            {
                return false;
            }

            var minutes = 0;
            if (i < s.Length && s[i] == (byte)':')
            {
                i++;
                if (!Number(s, ref i, 2, 2, out minutes))
                {
                    return false;
                }
            }
            else if (i < s.Length && IsDigit(s[i]))
            {
                if (!Number(s, ref i, 2, 2, out minutes))
                {
                    return false;
                }
            }
            else
            {
                relaxed = false;
            }

            if (minutes > 59 || (hours * 60) + minutes >= 24 * 60)
            {
                return false;
            }

            offsetSeconds = sign * ((hours * 3600) + (minutes * 60));
        }
        else
        {
            return false;
        }

        if (!relaxed && (separator == (byte)'t' || i != s.Length))
        {
            return false;
        }

        while (i < s.Length && s[i] == (byte)' ')
        {
            i++;
        }

        return i == s.Length;
    }

    private static bool Fraction(ReadOnlySpan<byte> s, ref int i, out int nanos)
    {
        nanos = 0;
        if (i == s.Length || s[i] != (byte)'.')
        {
            return true;
        }

        i++;
        var digits = 0;
        while (i < s.Length && IsDigit(s[i]))
        {
            if (digits < 9)
            {
                nanos = (nanos * 10) + (s[i] - '0');
            }

            digits++;
            i++;
        }

        for (var d = digits; d < 9; d++)
        {
            nanos *= 10;
        }

        return digits > 0;
    }

    private static bool Number(ReadOnlySpan<byte> s, ref int i, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        var start = i;
        while (i < s.Length && i - start < maxDigits && IsDigit(s[i]))
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        return i - start >= minDigits;
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int i, byte c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };
}
