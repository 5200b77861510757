using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// Strings, compared exactly (ordinal): answers match value / any with strings, and prefix
/// (from the values it holds). Other match types and ranges are left to the payload.
/// </summary>
internal sealed class KeywordIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<string>(key, schema, StringComparer.Ordinal, null)
{
    protected override bool TryRead(JsonElement value, out string result)
    {
        result = value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        return value.ValueKind == JsonValueKind.String;
    }

    protected override IReadOnlyList<string>? TryMatch(Match match) => KeywordValues(match);

    protected override IndexedCondition? TryCustomMatch(Match match, long total)
    {
        if (match is not MatchPrefix prefix)
        {
            return null;
        }

        var text = prefix.Prefix;
        return new IndexedCondition(AnyValue(s => s.StartsWith(text, StringComparison.Ordinal)), new Cardinality(0, Points / 2, Points));
    }

    /// <summary>The strings of a match value / any with keywords (an empty any: none), else null.</summary>
    internal static IReadOnlyList<string>? KeywordValues(Match match) => match switch
    {
        MatchValue { Value.Kind: FilterValueKind.Keyword } v => [v.Value.KeywordValue],
        MatchAny { Set.Count: 0 } => [],
        MatchAny a when a.Set[0].Kind == FilterValueKind.Keyword => [.. a.Set.Select(v => v.KeywordValue)],
        _ => null,
    };
}
