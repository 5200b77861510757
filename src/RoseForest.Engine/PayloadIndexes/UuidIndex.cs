using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// Strings that are UUIDs, compared as the strings they are (so an indexed match finds what
/// the unindexed one would; Qdrant compares the parsed UUIDs, so it also matches other spellings
/// of the same UUID there). Answers match value / any when every value is a UUID.
/// </summary>
internal sealed class UuidIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<string>(key, schema, StringComparer.Ordinal, null)
{
    protected override bool TryRead(JsonElement value, out string result)
    {
        result = value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        return value.ValueKind == JsonValueKind.String && Guid.TryParse(result, out _);
    }

    protected override IReadOnlyList<string>? TryMatch(Match match) =>
        KeywordIndex.KeywordValues(match) is { } values && values.All(v => Guid.TryParse(v, out _)) ? values : null;
}
