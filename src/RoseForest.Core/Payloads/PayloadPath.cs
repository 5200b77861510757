using System.Text;
using System.Text.Json;

namespace RoseForest.Core.Payloads;

/// <summary>
/// A path into a payload in Qdrant's syntax: <c>a.b.c</c> (nested keys), <c>a[2].b</c> (one
/// element of the array a), <c>a[].b</c> (every element) and <c>"quoted key".b</c> for keys with
/// other characters than letters, digits, <c>_</c> and <c>-</c>. A key reaches into objects only;
/// an array on the way must be projected with <c>[]</c> or <c>[n]</c>, as in Qdrant.
/// docs/api.md lists the cases for set_payload, delete_payload and filters.
/// </summary>
public sealed class PayloadPath
{
    private readonly Segment[] _segments;

    private PayloadPath(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    internal ReadOnlySpan<Segment> Segments => _segments;

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>
    /// Parses a path in Qdrant's grammar or throws a <see cref="ValidationException"/> naming
    /// <paramref name="field"/>: a first key, then any number of <c>.key</c>, <c>[n]</c> and
    /// <c>[]</c>. A bare key is one or more letters, digits, <c>_</c> or <c>-</c>; any other key
    /// is written in double quotes (no escapes, so a key cannot hold <c>"</c> or <c>\</c>).
    /// Refused, as Qdrant refuses them: <c>""</c>, <c>.</c>, <c>a..b</c>, <c>[0]</c>, <c>a.</c>,
    /// <c>a[x]</c>, <c>a b</c>.
    /// </summary>
    public static PayloadPath Parse(string? text, string field = "key")
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ValidationException(field, "a payload key must be a non-empty path such as \"a\" or \"a.b[].c\".");
        }

        var segments = new List<Segment>();
        var i = 0;
        segments.Add(Segment.Key(ReadKey(text, ref i, field)));
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '.':
                    i++;
                    segments.Add(Segment.Key(ReadKey(text, ref i, field)));
                    break;
                case '[':
                    var close = text.IndexOf(']', i);
                    if (close < 0)
                    {
                        throw Invalid(text, field, $"unterminated '[' at position {i}");
                    }

                    var inner = text.AsSpan(i + 1, close - i - 1);
                    if (inner.IsEmpty)
                    {
                        segments.Add(Segment.AllElements);
                    }
                    else if (IsDigits(inner) && int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    {
                        segments.Add(Segment.Element(index));
                    }
                    else
                    {
                        throw Invalid(text, field, $"'[{inner}]' must be [] or [n] with n a non-negative integer");
                    }

                    i = close + 1;
                    break;
                default:
                    throw Invalid(text, field, $"unexpected '{text[i]}' at position {i} (quote keys that hold other characters than letters, digits, '_' and '-')");
            }
        }

        return new PayloadPath(text, [.. segments]);
    }

    /// <summary>True when a key can be written bare; otherwise it must be quoted.</summary>
    internal static bool IsBareKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
        {
            return false;
        }

        var i = 0;
        while (i < key.Length)
        {
            if (Rune.DecodeFromUtf16(key[i..], out var rune, out var used) != System.Buffers.OperationStatus.Done || !IsBareRune(rune))
            {
                return false;
            }

            i += used;
        }

        return true;
    }

    /// <summary>
    /// Qdrant's bare-key characters are Rust's <c>char::is_alphanumeric</c> (Unicode Alphabetic or
    /// Numeric), <c>_</c> and <c>-</c>. Approximated here by the Unicode letter, number and
    /// combining-mark categories, which cover the Alphabetic property's marks.
    /// </summary>
    private static bool IsBareRune(Rune rune) => rune.Value is '_' or '-' || Rune.GetUnicodeCategory(rune) switch
    {
        System.Globalization.UnicodeCategory.UppercaseLetter or System.Globalization.UnicodeCategory.LowercaseLetter
            or System.Globalization.UnicodeCategory.TitlecaseLetter or System.Globalization.UnicodeCategory.ModifierLetter
            or System.Globalization.UnicodeCategory.OtherLetter or System.Globalization.UnicodeCategory.DecimalDigitNumber
            or System.Globalization.UnicodeCategory.LetterNumber or System.Globalization.UnicodeCategory.OtherNumber
            or System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark => true,
        _ => false,
    };

    private static string ReadKey(string text, ref int i, string field)
    {
        if (i < text.Length && text[i] == '"')
        {
            var end = text.IndexOfAny(['"', '\\'], i + 1);
            if (end < 0 || text[end] != '"')
            {
                throw Invalid(text, field, end < 0 ? "unterminated quote" : $"'\\' at position {end} (quoted keys take no escapes)");
            }

            var quoted = text[(i + 1)..end];
            i = end + 1;
            return quoted;
        }

        var start = i;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done || !IsBareRune(rune))
            {
                break;
            }

            i += used;
        }

        if (i == start)
        {
            throw Invalid(text, field, i == text.Length ? "it ends where a key should follow" : $"a key must start at position {i}, found '{text[i]}'");
        }

        return text[start..i];
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static ValidationException Invalid(string text, string field, string why) =>
        new(field, $"'{text}' is not a valid payload key: {why}. Keys are paths such as \"a\", \"a.b\", \"a[0].b\", \"a[].b\" or \"\\\"key with spaces\\\".b\".");

    /// <summary>
    /// Every value the path resolves to, as Qdrant resolves it: a key applies to an object only
    /// (an array must be projected with <c>[]</c>), <c>[n]</c> picks one element, <c>[]</c> yields
    /// each element, and the value at the end is returned as it is (an array stays one value).
    /// A missing key yields nothing; an explicit null yields a null value.
    /// </summary>
    internal void Resolve(JsonElement root, List<JsonElement> values) => Walk(root, 0, values);

    private void Walk(JsonElement current, int depth, List<JsonElement> values)
    {
        if (depth == _segments.Length)
        {
            values.Add(current);
            return;
        }

        var segment = _segments[depth];
        switch (segment.Kind)
        {
            case SegmentKind.Key:
                if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment.Name!, out var child))
                {
                    Walk(child, depth + 1, values);
                }

                break;

            case SegmentKind.AllElements:
                if (current.ValueKind == JsonValueKind.Array)
                {
                    foreach (var element in current.EnumerateArray())
                    {
                        Walk(element, depth + 1, values);
                    }
                }

                break;

            case SegmentKind.Index:
                if (current.ValueKind == JsonValueKind.Array && segment.Index < current.GetArrayLength())
                {
                    Walk(current[segment.Index], depth + 1, values);
                }

                break;
        }
    }

    /// <summary>
    /// The path with <c>[]</c> appended unless it already ends with it: the elements a
    /// <c>nested</c> condition applies its filter to (Qdrant's <c>JsonPath::array_key</c>).
    /// </summary>
    internal PayloadPath ArrayKey()
    {
        if (_segments[^1].Kind == SegmentKind.AllElements)
        {
            return this;
        }

        Segment[] segments = [.. _segments, Segment.AllElements];
        return new PayloadPath(Render(segments), segments);
    }

    /// <summary>The path <paramref name="inner"/> read from the values at this path (for paths inside nested filters).</summary>
    internal PayloadPath Append(PayloadPath inner)
    {
        Segment[] segments = [.. _segments, .. inner._segments];
        return new PayloadPath(Render(segments), segments);
    }

    /// <summary>Renders the path back into text (quoting keys that need it).</summary>
    internal static string Render(ReadOnlySpan<Segment> segments)
    {
        var sb = new StringBuilder();
        foreach (var s in segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Key:
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    var needsQuotes = !IsBareKey(s.Name);
                    sb.Append(needsQuotes ? $"\"{s.Name}\"" : s.Name);
                    break;
                case SegmentKind.AllElements:
                    sb.Append("[]");
                    break;
                case SegmentKind.Index:
                    sb.Append('[').Append(s.Index).Append(']');
                    break;
            }
        }

        return sb.ToString();
    }

    internal enum SegmentKind : byte
    {
        Key,
        AllElements,
        Index,
    }

    internal readonly record struct Segment(SegmentKind Kind, string? Name, int Index)
    {
        public static Segment AllElements => new(SegmentKind.AllElements, null, 0);

        public static Segment Key(string name) => new(SegmentKind.Key, name, 0);

        public static Segment Element(int index) => new(SegmentKind.Index, null, index);
    }
}
