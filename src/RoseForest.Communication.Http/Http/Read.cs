using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Http.Http;

/// <summary>Typed reads of request fields; a wrong one throws <see cref="ValidationException"/> naming it.</summary>
internal static class Read
{
    public static string? Text(JsonObject o, string name, bool required = false)
    {
        var node = o[name];
        if (node is null)
        {
            return required ? throw new ValidationException(name, "is required.") : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ValidationException(name, "must be a string.");
    }

    public static int? Int(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : throw new ValidationException(name, "must be an integer.");
    }

    public static double? Number(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : throw new ValidationException(name, "must be a number.");
    }

    public static bool? Bool(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new ValidationException(name, "must be true or false.");
    }

    public static float[]? Vector(JsonObject o, string name, bool required = false)
    {
        var node = o[name];
        if (node is null)
        {
            return required ? throw new ValidationException(name, "is required (a list of numbers).") : null;
        }

        if (node is not JsonArray a)
        {
            throw new ValidationException(name, "must be a list of numbers.");
        }

        var result = new float[a.Count];
        for (var i = 0; i < a.Count; i++)
        {
            result[i] = a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? float.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : throw new ValidationException($"{name}[{i}]", "must be a number.");
        }

        return result;
    }

    public static IReadOnlyList<string> Strings(JsonObject o, string name, bool required = false)
    {
        var node = o[name];
        if (node is null)
        {
            return required ? throw new ValidationException(name, "is required (a list of strings).") : [];
        }

        if (node is not JsonArray a)
        {
            throw new ValidationException(name, "must be a list of strings.");
        }

        return [.. a.Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ValidationException($"{name}[{i}]", "must be a string."))];
    }

    public static JsonElement? Element(JsonObject o, string name) => o[name] is { } n ? JsonSerializer.SerializeToElement(n) : null;

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);
}
