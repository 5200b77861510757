using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RoseForest.Engine.Tests;

/// <summary>
/// A plainly written model of Qdrant's payload paths (lib/segment/src/json_path in qdrant/qdrant),
/// independent of the engine's code, for the property test: a path is a list of segments, each
/// a key (string), an index (number) or all elements (null).
/// </summary>
internal static partial class ModelPath
{
    public abstract record Segment;

    public sealed record Key(string Name) : Segment;

    public sealed record Index(int Value) : Segment;

    public sealed record All : Segment;

    /// <summary>The segments, or null when Qdrant refuses the path.</summary>
    public static Segment[]? Parse(string text)
    {
        var first = FirstKey().Match(text);
        if (!first.Success)
        {
            return null;
        }

        var segments = new List<Segment> { new Key(first.Groups["k"].Success ? first.Groups["k"].Value : first.Groups["q"].Value) };
        var at = first.Length;
        while (at < text.Length)
        {
            var m = Rest().Match(text, at);
            if (!m.Success || m.Index != at)
            {
                return null;
            }

            segments.Add(m.Groups["k"].Success ? new Key(m.Groups["k"].Value)
                : m.Groups["q"].Success ? new Key(m.Groups["q"].Value)
                : m.Groups["i"].Success ? new Index(int.Parse(m.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture))
                : new All());
            at += m.Length;
        }

        return [.. segments];
    }

    /// <summary>set_payload with a key: Qdrant's value_set.</summary>
    public static void Set(JsonObject root, Segment[] path, JsonObject patch)
    {
        if (path.Length == 0)
        {
            Merge(root, patch);
            return;
        }

        SetInMap(root, ((Key)path[0]).Name, path[1..], patch);
    }

    /// <summary>delete_payload: Qdrant's value_remove.</summary>
    public static void Remove(JsonNode? node, Segment[] path)
    {
        var head = path[0];
        var rest = path[1..];
        if (rest.Length > 0)
        {
            switch (head)
            {
                case Key k when node is JsonObject o && o.ContainsKey(k.Name):
                    Remove(o[k.Name], rest);
                    break;
                case Index i when node is JsonArray a && i.Value < a.Count:
                    Remove(a[i.Value], rest);
                    break;
                case All when node is JsonArray a:
                    foreach (var item in a)
                    {
                        Remove(item, rest);
                    }

                    break;
            }

            return;
        }

        switch (head)
        {
            case Key k when node is JsonObject o:
                o.Remove(k.Name);
                break;
            case All when node is JsonArray a:
                a.Clear();
                break;
        }
    }

    private static void SetInMap(JsonObject map, string key, Segment[] rest, JsonObject patch)
    {
        if (map.ContainsKey(key))
        {
            map[key] = SetValue(map[key]?.DeepClone(), rest, patch);
        }
        else
        {
            map[key] = SetValue(null, rest, patch);
        }
    }

    private static JsonNode SetValue(JsonNode? dest, Segment[] path, JsonObject patch)
    {
        if (path.Length == 0)
        {
            var o = dest as JsonObject ?? [];
            Merge(o, patch);
            return o;
        }

        switch (path[0])
        {
            case Key k:
                var map = dest as JsonObject ?? [];
                SetInMap(map, k.Name, path[1..], patch);
                return map;
            case Index i:
                var array = dest as JsonArray ?? [];
                if (i.Value < array.Count)
                {
                    array[i.Value] = SetValue(array[i.Value]?.DeepClone(), path[1..], patch);
                }

                return array;
            default:
                if (dest is not JsonArray all)
                {
                    return new JsonArray();
                }

                for (var n = 0; n < all.Count; n++)
                {
                    all[n] = SetValue(all[n]?.DeepClone(), path[1..], patch);
                }

                return all;
        }
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    [GeneratedRegex("""^(?:(?<k>[\p{L}\p{N}\p{Mn}\p{Mc}_-]+)|"(?<q>[^"\\]*)")""")]
    private static partial Regex FirstKey();

    [GeneratedRegex("""\G(?:\.(?<k>[\p{L}\p{N}\p{Mn}\p{Mc}_-]+)|\."(?<q>[^"\\]*)"|\[(?<i>[0-9]+)\]|(?<all>\[\]))""")]
    private static partial Regex Rest();
}
