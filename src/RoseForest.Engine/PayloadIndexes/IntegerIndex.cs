using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// Integers: answers match value / any with integers, and numeric ranges while no point has a
/// non-integral number at the key (a range would match it, and this index cannot hold it).
/// </summary>
internal sealed class IntegerIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<long>(key, schema, null, Comparer<long>.Default)
{
    protected override bool TryRead(JsonElement value, out long result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out result);
    }

    protected override bool IsUnrepresented(JsonElement value) => value.ValueKind == JsonValueKind.Number;

    protected override double Position(long value) => value;

    protected override IReadOnlyList<long>? TryMatch(Match match) => match switch
    {
        MatchValue { Value.Kind: FilterValueKind.Integer } v => [v.Value.IntegerValue],
        MatchAny { Set.Count: 0 } => [],
        MatchAny a when a.Set[0].Kind == FilterValueKind.Integer => [.. a.Set.Select(v => v.IntegerValue)],
        _ => null,
    };

    protected override ValueRange? TryRange(FieldCondition condition)
    {
        if (condition.RangeClause is not { } r)
        {
            return null;
        }

        var low = Max(r.Gt, r.Gte);
        var high = Min(r.Lt, r.Lte);
        return new ValueRange(low is not null, low is { } l ? Clamp(Math.Ceiling(l)) : 0, high is not null, high is { } h ? Clamp(Math.Floor(h)) : 0, v => r.Contains(v));
    }

    private static long Clamp(double d) => d >= 9.2e18 ? long.MaxValue : d <= -9.2e18 ? long.MinValue : (long)d;

    internal static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    internal static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
