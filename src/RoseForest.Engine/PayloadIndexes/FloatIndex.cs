using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>Numbers: answers numeric ranges (a match compares integers exactly, which this index does not keep apart).</summary>
internal sealed class FloatIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<double>(key, schema, null, Comparer<double>.Default)
{
    protected override bool TryRead(JsonElement value, out double result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out result);
    }

    protected override double Position(double value) => value;

    protected override IReadOnlyList<double>? TryMatch(Match match) => null;

    protected override ValueRange? TryRange(FieldCondition condition)
    {
        if (condition.RangeClause is not { } r)
        {
            return null;
        }

        var low = IntegerIndex.Max(r.Gt, r.Gte);
        var high = IntegerIndex.Min(r.Lt, r.Lte);
        return new ValueRange(low is not null, low ?? 0, high is not null, high ?? 0, r.Contains);
    }
}
