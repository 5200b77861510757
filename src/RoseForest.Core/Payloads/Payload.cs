using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Core.Payloads;

/// <summary>
/// Payload helpers. A payload is a JSON object, stored as an immutable <see cref="JsonElement"/>
/// that owns its UTF-8 bytes; edits build a new one.
/// </summary>
public static class Payload
{
    /// <summary>Serializes any value (an anonymous object, a dictionary, a JsonObject) into a payload.</summary>
    public static JsonElement From(object value, string field = "payload") => RequireObject(JsonSerializer.SerializeToElement(value), field);

    /// <summary>Parses JSON text into a payload; it must be an object.</summary>
    public static JsonElement Parse(string json, string field = "payload")
    {
        JsonElement element;
        try
        {
            element = JsonElement.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ValidationException(field, $"invalid JSON: {e.Message}");
        }

        return RequireObject(element, field);
    }

    /// <summary>Checks that the element is a JSON object and returns it.</summary>
    public static JsonElement RequireObject(JsonElement element, string field = "payload") =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw new ValidationException(field, $"a payload must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}.");

    /// <summary>The payload's raw UTF-8 JSON.</summary>
    internal static ReadOnlySpan<byte> Utf8(JsonElement payload) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(payload);

    /// <summary>Reads a payload back from UTF-8 bytes written by <see cref="Utf8"/>.</summary>
    internal static JsonElement FromUtf8(ReadOnlySpan<byte> utf8) => JsonElement.Parse(utf8);

    /// <summary>
    /// Qdrant's set_payload: the patch's top-level keys replace those of the existing payload (or,
    /// with <paramref name="key"/>, of the object at that path, created when missing; a non-object
    /// value on the way is replaced by an object). Other keys are kept. As in Qdrant, a key whose
    /// new value is null is removed.
    /// </summary>
    internal static JsonElement Merge(JsonElement? existing, JsonElement patch, PayloadPath? key)
    {
        var root = existing is { } e ? (JsonObject)JsonNode.Parse(Utf8(e))! : [];
        var target = root;
        if (key is not null)
        {
            foreach (var segment in key.Segments)
            {
                if (segment.Kind != PayloadPath.SegmentKind.Key)
                {
                    throw new ValidationException("key", $"set_payload's key must be a path of object keys; '{key}' reaches into an array.");
                }

                if (target[segment.Name!] is not JsonObject next)
                {
                    next = [];
                    target[segment.Name!] = next;
                }

                target = next;
            }
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                target.Remove(property.Name);
            }
            else
            {
                target[property.Name] = JsonNode.Parse(Utf8(property.Value));
            }
        }

        return ToElement(root);
    }

    /// <summary>Removes each path (nested keys and array projections included) from a payload.</summary>
    internal static JsonElement DeleteKeys(JsonElement existing, IReadOnlyList<PayloadPath> keys)
    {
        var root = (JsonObject)JsonNode.Parse(Utf8(existing))!;
        foreach (var key in keys)
        {
            Remove(root, key.Segments);
        }

        return ToElement(root);
    }

    /// <summary>
    /// Only the given paths of a payload (with_payload include). Paths of object keys keep their
    /// nesting; a path that reaches into an array keeps the whole top-level key (a simplification).
    /// </summary>
    internal static JsonElement Project(JsonElement payload, IReadOnlyList<PayloadPath> paths)
    {
        var result = new JsonObject();
        foreach (var path in paths)
        {
            var segments = path.Segments;
            var keysOnly = true;
            foreach (var s in segments)
            {
                keysOnly &= s.Kind == PayloadPath.SegmentKind.Key;
            }

            if (!keysOnly)
            {
                if (payload.TryGetProperty(segments[0].Name!, out var whole))
                {
                    result[segments[0].Name!] = JsonNode.Parse(Utf8(whole));
                }

                continue;
            }

            var source = payload;
            var found = true;
            foreach (var s in segments)
            {
                if (source.ValueKind != JsonValueKind.Object || !source.TryGetProperty(s.Name!, out source))
                {
                    found = false;
                    break;
                }
            }

            if (!found)
            {
                continue;
            }

            var target = result;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                if (target[segments[i].Name!] is not JsonObject next)
                {
                    next = [];
                    target[segments[i].Name!] = next;
                }

                target = next;
            }

            target[segments[^1].Name!] = JsonNode.Parse(Utf8(source));
        }

        return ToElement(result);
    }

    /// <summary>An empty payload object.</summary>
    internal static JsonElement Empty { get; } = JsonElement.Parse("{}");

    private static void Remove(JsonNode? node, ReadOnlySpan<PayloadPath.Segment> segments)
    {
        if (node is null || segments.IsEmpty)
        {
            return;
        }

        var segment = segments[0];
        var rest = segments[1..];
        switch (segment.Kind)
        {
            case PayloadPath.SegmentKind.Key when node is JsonObject obj:
                if (rest.IsEmpty)
                {
                    obj.Remove(segment.Name!);
                }
                else
                {
                    Remove(obj[segment.Name!], rest);
                }

                break;
            case PayloadPath.SegmentKind.AllElements when node is JsonArray array:
                if (rest.IsEmpty)
                {
                    array.Clear();
                }
                else
                {
                    foreach (var item in array)
                    {
                        Remove(item, rest);
                    }
                }

                break;
            case PayloadPath.SegmentKind.Index when node is JsonArray indexed && segment.Index < indexed.Count:
                if (rest.IsEmpty)
                {
                    indexed.RemoveAt(segment.Index);
                }
                else
                {
                    Remove(indexed[segment.Index], rest);
                }

                break;
        }
    }

    private static JsonElement ToElement(JsonObject obj) => JsonElement.Parse(JsonSerializer.SerializeToUtf8Bytes(obj));
}
