using System.Text;
using System.Text.Json;

namespace RoseForest.Core.Payloads;

/// <summary>
/// A dotted path into a payload, as in Qdrant: <c>a.b.c</c>, <c>a[].b</c> (every element of the
/// array a), <c>a[2].b</c> (one element), and <c>"quoted.key".b</c> for keys with dots.
/// Arrays met on the way are flattened implicitly, so <c>a.b</c> also reaches into an array of
/// objects under <c>a</c>; the values found at the end are expanded when they are arrays.
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

    /// <summary>Parses a path or throws a <see cref="ValidationException"/> naming <paramref name="field"/>.</summary>
    public static PayloadPath Parse(string? text, string field = "key")
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ValidationException(field, "a payload key must be a non-empty path such as \"a\" or \"a.b[].c\".");
        }

        var segments = new List<Segment>();
        var i = 0;
        while (true)
        {
            // One key, quoted or bare.
            string key;
            if (text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new ValidationException(field, $"unterminated quote in payload key '{text}'.");
                }

                key = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                key = text[start..i];
            }

            if (key.Length == 0)
            {
                throw new ValidationException(field, $"empty key segment in payload key '{text}'.");
            }

            segments.Add(Segment.Key(key));

            // Any number of [] or [n] after the key.
            while (i < text.Length && text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    throw new ValidationException(field, $"unterminated '[' in payload key '{text}'.");
                }

                var inner = text.AsSpan(i + 1, close - i - 1);
                if (inner.IsEmpty)
                {
                    segments.Add(Segment.AllElements);
                }
                else if (int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(Segment.Element(index));
                }
                else
                {
                    throw new ValidationException(field, $"'[{inner}]' in payload key '{text}' must be [] or [n] with n a non-negative integer.");
                }

                i = close + 1;
            }

            if (i == text.Length)
            {
                break;
            }

            if (text[i] != '.' || i + 1 == text.Length)
            {
                throw new ValidationException(field, $"unexpected character at position {i} of payload key '{text}'.");
            }

            i++;
        }

        return new PayloadPath(text, [.. segments]);
    }

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

                    var needsQuotes = s.Name!.AsSpan().IndexOfAny(".[]\"") >= 0;
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
