using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Querying;

/// <summary>
/// The values a point is ordered by: numbers at the payload path (integers stay integers), and
/// datetime strings as microseconds since the epoch (Qdrant's integer and datetime indexes hold
/// those). Other values are skipped. RoseForest reads the payload; Qdrant needs a range index.
/// </summary>
internal static class OrderValues
{
    [ThreadStatic]
    private static List<JsonElement>? t_values;

    public static void Collect(PayloadPath key, JsonElement? payload, List<OrderValue> into)
    {
        into.Clear();
        var values = t_values ??= [];
        PayloadValues.Collect(key, payload, values);
        foreach (var v in values)
        {
            if (v.ValueKind == JsonValueKind.Number)
            {
                into.Add(v.TryGetInt64(out var n) ? OrderValue.FromInteger(n) : OrderValue.FromDouble(v.GetDouble()));
            }
            else if (v.ValueKind == JsonValueKind.String && FilterDateTime.TryParse(v.GetString(), out var dt))
            {
                into.Add(OrderValue.FromDatetime(dt));
            }
        }
    }
}
