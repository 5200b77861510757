using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;
using RoseForest.Core.Payloads;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantFilter
{
    private static FieldCondition ReadFieldCondition(JsonElement element, string field)
    {
        PayloadPath? key = null;
        Match? match = null;
        NumericRange? range = null, valuesCount = null;
        DatetimeRange? datetimeRange = null;
        GeoRadius? geoRadius = null;
        GeoBoundingBox? geoBox = null;
        GeoPolygon? geoPolygon = null;
        bool? isEmpty = null, isNull = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            var present = p.Value.ValueKind != JsonValueKind.Null;
            switch (p.Name)
            {
                case "key":
                    key = ParsePath(ReadString(p.Value, path), path);
                    break;
                case "match":
                    match = present ? ReadMatch(p.Value, path) : null;
                    break;
                case "range":
                    (range, datetimeRange) = present ? ReadRange(p.Value, path) : (null, null);
                    break;
                case "values_count":
                    valuesCount = present ? ReadValuesCount(p.Value, path) : null;
                    break;
                case "geo_radius":
                    geoRadius = present ? ReadGeoRadius(p.Value, path) : null;
                    break;
                case "geo_bounding_box":
                    geoBox = present ? ReadGeoBoundingBox(p.Value, path) : null;
                    break;
                case "geo_polygon":
                    geoPolygon = present ? ReadGeoPolygon(p.Value, path) : null;
                    break;
                case "is_empty":
                    isEmpty = present ? ReadBool(p.Value, path) : null;
                    break;
                case "is_null":
                    isNull = present ? ReadBool(p.Value, path) : null;
                    break;
                default:
                    throw new FilterValidationException(path, "unknown field in a field condition; expected key, match, range, geo_radius, geo_bounding_box, geo_polygon, values_count, is_empty or is_null.");
            }
        }

        if (key is null)
        {
            throw new FilterValidationException($"{field}.key", "is required.");
        }

        if (match is null && range is null && datetimeRange is null && valuesCount is null && geoRadius is null &&
            geoBox is null && geoPolygon is null && isEmpty is null && isNull is null)
        {
            throw new FilterValidationException(field, "a field condition needs at least one of match, range, geo_radius, geo_bounding_box, geo_polygon, values_count, is_empty or is_null.");
        }

        return new FieldCondition(key, match, range, valuesCount, isEmpty, isNull, datetimeRange, geoRadius, geoBox, geoPolygon);
    }

    private static Match ReadMatch(JsonElement element, string field)
    {
        RequireObject(element, field);
        Match? result = null;
        var count = 0;
        foreach (var p in element.EnumerateObject())
        {
            count++;
            var path = $"{field}.{p.Name}";
            result = p.Name switch
            {
                "value" => new MatchValue(ReadValue(p.Value, path)),
                "any" => new MatchAny(ReadValues(p.Value, path)),
                "except" => new MatchExcept(ReadValues(p.Value, path)),
                "text" => new MatchText(ReadString(p.Value, path)),
                "phrase" => new MatchPhrase(ReadString(p.Value, path)),
                "text_any" => new MatchTextAny(ReadString(p.Value, path)),
                "prefix" => new MatchPrefix(ReadString(p.Value, path)),
                _ => throw new FilterValidationException(path, "unknown match kind; expected value, any, except, text, phrase, text_any or prefix."),
            };
        }

        if (count != 1 || result is null)
        {
            throw new FilterValidationException(field, "a match needs exactly one of value, any, except, text, phrase, text_any or prefix.");
        }

        return result;
    }

    private static FilterValue[] ReadValues(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new FilterValidationException(field, "expected an array of strings or integers.");
        }

        var values = new List<FilterValue>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            var v = ReadValue(item, $"{field}[{i++}]");
            if (v.Kind == FilterValueKind.Bool)
            {
                throw new FilterValidationException($"{field}[{i - 1}]", "any/except take strings or integers, not bools.");
            }

            values.Add(v);
        }

        if (values.Count > 0 && values.Exists(v => v.Kind != values[0].Kind))
        {
            throw new FilterValidationException(field, "any/except values must all be strings or all be integers.");
        }

        return [.. values];
    }

    private static FilterValue ReadValue(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Keyword(element.GetString()!),
        JsonValueKind.Number when element.TryGetInt64(out var n) => FilterValue.Integer(n),
        JsonValueKind.True => FilterValue.Bool(true),
        JsonValueKind.False => FilterValue.Bool(false),
        _ => throw new FilterValidationException(field, $"a match value must be a string, an integer or a bool, got {element.GetRawText()}."),
    };

    /// <summary>
    /// Qdrant's RangeInterface: when any bound is a string the range is a datetime range and every
    /// bound must be a datetime string; otherwise the bounds are numbers.
    /// </summary>
    private static (NumericRange?, DatetimeRange?) ReadRange(JsonElement element, string field)
    {
        RequireObject(element, field);
        var datetime = false;
        foreach (var p in element.EnumerateObject())
        {
            datetime |= p.Value.ValueKind == JsonValueKind.String;
        }

        if (datetime)
        {
            var bounds = ReadBounds(element, field, (value, path) => value.ValueKind switch
            {
                JsonValueKind.Null => (FilterDateTime?)null,
                JsonValueKind.String => FilterDateTime.TryParse(value.GetString(), out var t)
                    ? t
                    : throw new FilterValidationException(path, $"'{value.GetString()}' does not match accepted datetime format (RFC3339). Example: 2014-01-01T00:00:00Z"),
                _ => throw new FilterValidationException(path, $"expected a datetime string (the range has string bounds), got {value.GetRawText()}."),
            });
            return (null, new DatetimeRange(bounds.Gt, bounds.Gte, bounds.Lt, bounds.Lte));
        }

        var numbers = ReadBounds(element, field, (value, path) => value.ValueKind switch
        {
            JsonValueKind.Null => (double?)null,
            JsonValueKind.Number when value.TryGetDouble(out var x) => x,
            _ => throw new FilterValidationException(path, $"expected a number or a datetime string, got {value.GetRawText()}."),
        });
        return (new NumericRange(numbers.Gt, numbers.Gte, numbers.Lt, numbers.Lte), null);
    }

    /// <summary>Qdrant's ValuesCount: bounds are non-negative integers.</summary>
    private static NumericRange ReadValuesCount(JsonElement element, string field)
    {
        RequireObject(element, field);
        var bounds = ReadBounds(element, field, (value, path) => value.ValueKind switch
        {
            JsonValueKind.Null => (double?)null,
            JsonValueKind.Number when value.TryGetInt64(out var n) && n >= 0 => n,
            _ => throw new FilterValidationException(path, $"expected a non-negative integer, got {value.GetRawText()}."),
        });
        return new NumericRange(bounds.Gt, bounds.Gte, bounds.Lt, bounds.Lte);
    }

    private static (T? Gt, T? Gte, T? Lt, T? Lte) ReadBounds<T>(JsonElement element, string field, Func<JsonElement, string, T?> read)
        where T : struct
    {
        T? gt = null, gte = null, lt = null, lte = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "gt":
                    gt = read(p.Value, path);
                    break;
                case "gte":
                    gte = read(p.Value, path);
                    break;
                case "lt":
                    lt = read(p.Value, path);
                    break;
                case "lte":
                    lte = read(p.Value, path);
                    break;
                default:
                    throw new FilterValidationException(path, "unknown bound; expected gt, gte, lt or lte.");
            }
        }

        return (gt, gte, lt, lte);
    }
}
