using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Querying;

/// <summary>
/// The values at a payload path as Qdrant's query features read them: the values the path
/// resolves to, an array among them flattened one level (unless the path itself ends in <c>[]</c>).
/// </summary>
internal static class PayloadValues
{
    [ThreadStatic]
    private static List<JsonElement>? t_resolved;

    public static void Collect(PayloadPath path, JsonElement? payload, List<JsonElement> into)
    {
        into.Clear();
        if (payload is not { } root)
        {
            return;
        }

        var resolved = t_resolved ??= [];
        resolved.Clear();
        path.Resolve(root, resolved);
        var keepArrays = path.Segments[^1].Kind == PayloadPath.SegmentKind.AllElements;
        foreach (var value in resolved)
        {
            if (value.ValueKind == JsonValueKind.Array && !keepArrays)
            {
                into.AddRange(value.EnumerateArray());
            }
            else
            {
                into.Add(value);
            }
        }
    }
}
