using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

/// <summary>
/// Reading JSON strictly: each helper names the field it rejects (a path such as
/// <c>points[3].vector</c>), so every bad input becomes a <see cref="ValidationException"/>
/// whose message says where.
/// </summary>
public static class JsonFields
{
    /// <summary>Duplicate property names are refused: which copy wins would otherwise be a guess.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Parses a JSON body strictly (duplicate names refused); an empty body is an empty object.</summary>
    public static JsonElement ParseBody(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return JsonElement.Parse("{}");
        }

        try
        {
            return JsonElement.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new JsonFormatException($"Format error in JSON body: {e.Message}");
        }
    }

    /// <summary>Checks that an element is an object whose keys are all among <paramref name="allowed"/>.</summary>
    public static JsonElement Object(JsonElement element, string field, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"expected an object, got {Kind(element)}.");
        }

        foreach (var p in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                throw new ValidationException(Join(field, p.Name), $"unknown field; expected one of: {string.Join(", ", allowed)}.");
            }
        }

        return element;
    }

    /// <summary>A property, or null when it is absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>An integer property within [min, max], or null when absent.</summary>
    public static int? Int(JsonElement obj, string name, string field, int min, int max)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            throw new ValidationException(Join(field, name), $"expected an integer, got {Kind(v)}.");
        }

        if (n < min || n > max)
        {
            throw new ValidationException(Join(field, name), $"must be between {min} and {max}, got {n}.");
        }

        return (int)n;
    }

    /// <summary>A finite number property, or null when absent.</summary>
    public static double? Double(JsonElement obj, string name, string field)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble()
            : throw new ValidationException(Join(field, name), $"expected a number, got {Kind(v)}.");
    }

    /// <summary>A boolean property, or null when absent.</summary>
    public static bool? Bool(JsonElement obj, string name, string field)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ValidationException(Join(field, name), $"expected true or false, got {Kind(v)}."),
        };
    }

    /// <summary>A string property, or null when absent.</summary>
    public static string? String(JsonElement obj, string name, string field)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new ValidationException(Join(field, name), $"expected a string, got {Kind(v)}.");
    }

    /// <summary>A dense vector: an array of finite numbers (validated further by the collection).</summary>
    public static float[] Vector(JsonElement v, string field)
    {
        if (v.ValueKind == JsonValueKind.Array && TryParseNumbers(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v), v.GetArrayLength()) is { } fast)
        {
            return fast;
        }

        if (v.ValueKind == JsonValueKind.Object)
        {
            throw new ValidationException(field, "expected an array of numbers here, got an object (named vectors go in an object of name → vector).");
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, $"expected an array of numbers, got {Kind(v)}.");
        }

        var result = new float[v.GetArrayLength()];
        var i = 0;
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number)
            {
                throw new ValidationException($"{field}[{i}]", x.ValueKind == JsonValueKind.Array ? "expected a number: this vector is not a multivector." : $"expected a number, got {Kind(x)}.");
            }

            var d = x.GetDouble();
            if (!double.IsFinite(d) || Math.Abs(d) > float.MaxValue)
            {
                throw new ValidationException($"{field}[{i}]", $"{x.GetRawText()} is not a finite 32-bit float.");
            }

            result[i++] = (float)d;
        }

        return result;
    }

    /// <summary>
    /// The fast path for the common case, an array of plain finite numbers: parses the array's
    /// raw UTF-8 text directly instead of visiting each element (4x cheaper for 784-d vectors).
    /// Returns null for anything else (a nested array, a string, an overflow), and the caller
    /// takes the element-by-element path, which says precisely what is wrong.
    /// </summary>
    private static float[]? TryParseNumbers(ReadOnlySpan<byte> raw, int count)
    {
        var result = new float[count];
        var i = 1; // past '['
        for (var n = 0; n < count; n++)
        {
            while (i < raw.Length && raw[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)',')
            {
                i++;
            }

            var start = i;
            var negative = i < raw.Length && raw[i] == (byte)'-';
            if (negative)
            {
                i++;
            }

            // Integers of up to 7 digits are exact in a float: sum their digits directly.
            var digitsStart = i;
            var integer = 0;
            while (i < raw.Length && raw[i] is >= (byte)'0' and <= (byte)'9' && i - digitsStart < 7)
            {
                integer = (integer * 10) + (raw[i] - (byte)'0');
                i++;
            }

            if (i > digitsStart && IsEnd(raw, i))
            {
                result[n] = negative ? -integer : integer;
                continue;
            }

            // A plain decimal d…d.d…d with at most 15 significant digits: mantissa / 10^k in double
            // is correctly rounded (both are exact doubles), the same double the JSON reader's
            // GetDouble gives, then narrowed to float exactly as the element path narrows it.
            i = digitsStart;
            long mantissa = 0;
            var digits = 0;
            var scale = -1;
            while (i < raw.Length && digits <= 15)
            {
                var c = raw[i];
                if (c is >= (byte)'0' and <= (byte)'9')
                {
                    mantissa = (mantissa * 10) + (c - (byte)'0');
                    digits++;
                    if (scale >= 0)
                    {
                        scale++;
                    }
                }
                else if (c == (byte)'.' && scale < 0)
                {
                    scale = 0;
                }
                else
                {
                    break;
                }

                i++;
            }

            if (digits is > 0 and <= 15 && scale > 0 && IsEnd(raw, i))
            {
                var d = mantissa / Pow10[scale];
                result[n] = (float)(negative ? -d : d);
                continue;
            }

            i = start;
            while (i < raw.Length && raw[i] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')
            {
                i++;
            }

            if (i == start || !float.TryParse(raw[start..i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
            {
                return null;
            }

            result[n] = value;
        }

        return result;
    }

    private static readonly double[] Pow10 = [.. Enumerable.Range(0, 23).Select(k => Math.Pow(10, k))];

    private static bool IsEnd(ReadOnlySpan<byte> raw, int i) =>
        i == raw.Length || raw[i] is (byte)',' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    /// <summary>An array of point ids.</summary>
    public static List<PointId> Ids(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, $"expected an array of point ids, got {Kind(v)}.");
        }

        var ids = new List<PointId>(v.GetArrayLength());
        var i = 0;
        foreach (var x in v.EnumerateArray())
        {
            ids.Add(PointId.FromJson(x, $"{field}[{i++}]"));
        }

        return ids;
    }

    /// <summary>A field path: <paramref name="field"/>.<paramref name="name"/>.</summary>
    public static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";

    /// <summary>"an object", "a string", … for messages.</summary>
    public static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a bool",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
