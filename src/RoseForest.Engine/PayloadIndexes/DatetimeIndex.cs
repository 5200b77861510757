using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>Strings that parse as datetimes (the filter's parser), as instants: answers datetime ranges.</summary>
internal sealed class DatetimeIndex(PayloadPath key, PayloadIndexParams schema) : ValueIndex<FilterDateTime>(key, schema, null, Comparer<FilterDateTime>.Default)
{
    protected override bool TryRead(JsonElement value, out FilterDateTime result)
    {
        result = default;
        return value.ValueKind == JsonValueKind.String && FilterDateTime.TryParse(value.GetString(), out result);
    }

    protected override double Position(FilterDateTime value) => value.UnixSeconds + (value.Nanoseconds / 1e9);

    protected override IReadOnlyList<FilterDateTime>? TryMatch(Match match) => null;

    protected override ValueRange? TryRange(FieldCondition condition)
    {
        if (condition.DatetimeRangeClause is not { } r)
        {
            return null;
        }

        var low = Later(r.Gt, r.Gte);
        var high = Earlier(r.Lt, r.Lte);
        return new ValueRange(low is not null, low ?? default, high is not null, high ?? default, r.Contains);
    }

    private static FilterDateTime? Later(FilterDateTime? a, FilterDateTime? b) => a is null ? b : b is null ? a : a.Value > b.Value ? a : b;

    private static FilterDateTime? Earlier(FilterDateTime? a, FilterDateTime? b) => a is null ? b : b is null ? a : a.Value < b.Value ? a : b;
}
