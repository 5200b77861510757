using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>Every value at the path is null or an empty array (so a missing field is empty).</summary>
internal sealed class IsEmptyCondition(PayloadPath key) : Condition
{
    public PayloadPath Key { get; } = key;

    internal override bool Matches(PointId id, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return true;
        }

        var values = RentValues();
        Key.Resolve(p, values);
        foreach (var v in values)
        {
            var empty = v.ValueKind == JsonValueKind.Null || (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0);
            if (!empty)
            {
                return false;
            }
        }

        return true;
    }

    internal override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("is_empty");
        writer.WriteString("key", Key.Text);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>Some value at the path is null (an array holding null is not null itself).</summary>
internal sealed class IsNullCondition(PayloadPath key) : Condition
{
    public PayloadPath Key { get; } = key;

    internal override bool Matches(PointId id, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return false;
        }

        var values = RentValues();
        Key.Resolve(p, values);
        foreach (var v in values)
        {
            if (v.ValueKind == JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }

    internal override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("is_null");
        writer.WriteString("key", Key.Text);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>The point's id is in the set.</summary>
internal sealed class HasIdCondition(IEnumerable<PointId> ids) : Condition
{
    public HashSet<PointId> Ids { get; } = [.. ids];

    internal override bool Matches(PointId id, JsonElement? payload) => Ids.Contains(id);

    internal override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("has_id");
        foreach (var id in Ids.Order())
        {
            id.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>A nested filter used as a condition.</summary>
internal sealed class FilterCondition(Filter filter) : Condition
{
    public Filter Filter { get; } = filter;

    internal override bool Matches(PointId id, JsonElement? payload) => Filter.Matches(id, payload);

    internal override void WriteTo(Utf8JsonWriter writer) => Filter.WriteTo(writer);
}
