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
    /// Qdrant's set_payload, a total function (it never throws for any payload and path): the
    /// patch's top-level keys replace those of the target object and others are kept; a key
    /// whose new value is null is removed. Without <paramref name="key"/> the target is the
    /// payload. With it, the path is walked as Qdrant walks it: a key on a non-object replaces
    /// that value with an object; <c>[n]</c> on a non-array replaces it with an empty array,
    /// and an index past the end changes nothing; <c>[]</c> applies to every element (on a
    /// non-array it leaves an empty array); a value at the end that is not an object becomes one.
    /// </summary>
    internal static JsonElement Merge(JsonElement? existing, JsonElement patch, PayloadPath? key)
    {
        var root = existing is { } e ? (JsonObject)JsonNode.Parse(Utf8(e))! : [];
        if (key is null)
        {
            MergeInto(root, patch);
        }
        else
        {
            var segments = key.Segments;
            SetInObject(root, segments[0].Name!, segments[1..], patch);
        }

        return ToElement(root);
    }

    private static void SetInObject(JsonObject target, string name, ReadOnlySpan<PayloadPath.Segment> rest, JsonElement patch)
    {
        var current = target.TryGetPropertyValue(name, out var value) ? value : null;
        var next = SetAt(current, rest, patch);
        if (!ReferenceEquals(next, current))
        {
            target[name] = next;
        }
    }

    /// <summary>Applies the patch below <paramref name="node"/>; returns the node to keep there (itself, or its replacement).</summary>
    private static JsonNode SetAt(JsonNode? node, ReadOnlySpan<PayloadPath.Segment> path, JsonElement patch)
    {
        if (path.IsEmpty)
        {
            var obj = node as JsonObject ?? [];
            MergeInto(obj, patch);
            return obj;
        }

        var head = path[0];
        var rest = path[1..];
        switch (head.Kind)
        {
            case PayloadPath.SegmentKind.Key:
                var map = node as JsonObject ?? [];
                SetInObject(map, head.Name!, rest, patch);
                return map;
            case PayloadPath.SegmentKind.Index:
                var array = node as JsonArray ?? [];
                if (head.Index < array.Count)
                {
                    var item = array[head.Index];
                    var replaced = SetAt(item, rest, patch);
                    if (!ReferenceEquals(replaced, item))
                    {
                        array[head.Index] = replaced;
                    }
                }

                return array;
            default:
                if (node is not JsonArray all)
                {
                    return new JsonArray();
                }

                for (var i = 0; i < all.Count; i++)
                {
                    var item = all[i];
                    var replaced = SetAt(item, rest, patch);
                    if (!ReferenceEquals(replaced, item))
                    {
                        all[i] = replaced;
                    }
                }

                return all;
        }
    }

    private static void MergeInto(JsonObject target, JsonElement patch)
    {
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
    }

    /// <summary>
    /// Qdrant's delete_payload, a total function: removes each path's values. A key at the end
    /// removes that key; <c>[]</c> at the end empties the array; <c>[n]</c> at the end removes
    /// nothing (as in Qdrant: deleting by index is not idempotent); paths through missing or
    /// mismatched values change nothing.
    /// </summary>
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
            case PayloadPath.SegmentKind.Index when node is JsonArray indexed && segment.Index < indexed.Count && !rest.IsEmpty:
                Remove(indexed[segment.Index], rest);
                break;
        }
    }

    private static JsonElement ToElement(JsonObject obj) => JsonElement.Parse(JsonSerializer.SerializeToUtf8Bytes(obj));
}
