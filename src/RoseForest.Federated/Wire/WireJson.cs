using System.Text.Json;

namespace RoseForest.Federated.Wire;

/// <summary>Strict reading of the protocol's JSON: required and optional members of known types, unknown members refused.</summary>
public static class WireJson
{
    /// <summary>Parses a body, refusing duplicate member names and trailing content.</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 });
            using var doc = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != utf8.Length && utf8[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).Length != 0)
            {
                throw new WireFormatException(string.Empty, "Unexpected content after the JSON value.");
            }

            var root = doc.RootElement.Clone();
            RefuseDuplicates(root, string.Empty);
            return root;
        }
        catch (JsonException e)
        {
            throw new WireFormatException(string.Empty, $"Malformed JSON: {e.Message}");
        }
    }

    /// <summary>Throws when <paramref name="element"/> is not an object or has a member outside <paramref name="allowed"/>.</summary>
    public static void RequireObject(JsonElement element, string field, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException(field, $"must be an object, got {element.ValueKind}.");
        }

        foreach (var member in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, member.Name) < 0)
            {
                throw new WireFormatException(Join(field, member.Name), $"unknown field (expected one of: {string.Join(", ", allowed)}).");
            }
        }
    }

    /// <summary>The member, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The member, which must be present.</summary>
    public static JsonElement Required(JsonElement obj, string name, string field) =>
        Optional(obj, name) ?? throw new WireFormatException(Join(field, name), "is required.");

    /// <summary>A string member.</summary>
    public static string? String(JsonElement obj, string name, string field) => Optional(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new WireFormatException(Join(field, name), "must be a string."),
    };

    /// <summary>An integer member within [min, max].</summary>
    public static long? Integer(JsonElement obj, string name, string field, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Optional(obj, name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            throw new WireFormatException(Join(field, name), "must be an integer.");
        }

        return n < min || n > max ? throw new WireFormatException(Join(field, name), $"must be from {min} to {max}, got {n}.") : n;
    }

    /// <summary>A finite number member within [min, max].</summary>
    public static double? Number(JsonElement obj, string name, string field, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Optional(obj, name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))
        {
            throw new WireFormatException(Join(field, name), "must be a finite number.");
        }

        return x < min || x > max ? throw new WireFormatException(Join(field, name), $"must be from {min} to {max}, got {x}.") : x;
    }

    /// <summary>A boolean member.</summary>
    public static bool? Boolean(JsonElement obj, string name, string field) => Optional(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new WireFormatException(Join(field, name), "must be true or false."),
    };

    /// <summary>"a" + "b" = "a.b"; "" + "b" = "b".</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    private static void RefuseDuplicates(JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    if (!seen.Add(member.Name))
                    {
                        throw new WireFormatException(Join(field, member.Name), "appears twice.");
                    }

                    RefuseDuplicates(member.Value, Join(field, member.Name));
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    RefuseDuplicates(item, $"{field}[{i++}]");
                }

                break;
        }
    }
}
