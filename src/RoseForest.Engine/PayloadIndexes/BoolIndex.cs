using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>true and false: answers match value with a bool.</summary>
internal sealed class BoolIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<bool>(key, schema, null, null)
{
    protected override bool TryRead(JsonElement value, out bool result)
    {
        result = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    protected override IReadOnlyList<bool>? TryMatch(Match match) =>
        match is MatchValue { Value.Kind: FilterValueKind.Bool } v ? [v.Value.BoolValue] : null;
}
