using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RoseForest.Server.Http;

/// <summary>
/// Reading request bodies and query strings strictly: each helper names the field it rejects,
/// so every bad input becomes a 400 whose message says where.
/// </summary>
internal static class RequestJson
{
    /// <summary>Duplicate property names are refused: which copy wins would otherwise be a guess.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The body as JSON; an empty body is an empty object.</summary>
    public static async Task<JsonElement> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            return JsonElement.Parse("{}");
        }

        try
        {
            return JsonElement.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"Format error in JSON body: {e.Message}");
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
        if (v.ValueKind == JsonValueKind.Object)
        {
            throw new ValidationException(field, "named and sparse vectors are not supported by RoseForest; send a plain array of numbers.");
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
                throw new ValidationException($"{field}[{i}]", x.ValueKind == JsonValueKind.Array ? "multivectors are not supported by RoseForest." : $"expected a number, got {Kind(x)}.");
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

    /// <summary>A boolean query-string parameter (absent: the default).</summary>
    public static bool QueryBool(HttpContext context, string name, bool defaultValue)
    {
        var raw = context.Request.Query[name];
        if (raw.Count == 0)
        {
            return defaultValue;
        }

        return bool.TryParse(raw[0], out var b) ? b : throw new ValidationException(name, $"query parameter must be true or false, got '{raw[0]}'.");
    }

    public static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";

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
