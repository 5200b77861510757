using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Contracts.Qdrant;

/// <summary>
/// Qdrant's filter JSON, both ways. Reading is strict: unknown keys, wrong types and empty
/// conditions are errors that name the field (for example <c>filter.must[1].range.gt</c>).
/// </summary>
public static partial class QdrantFilter
{
    private const int MaxDepth = 32;

    /// <summary>Parses filter JSON text; throws <see cref="FilterValidationException"/> naming the bad field.</summary>
    public static Filter Parse(string json)
    {
        JsonElement element;
        try
        {
            element = JsonElement.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FilterValidationException("filter", $"invalid JSON: {e.Message}");
        }

        return Read(element);
    }

    /// <summary>Reads a filter from JSON; <paramref name="field"/> prefixes the paths in error messages.</summary>
    public static Filter Read(JsonElement element, string field = "filter") => ReadFilter(element, field, 0);

    private static Filter ReadFilter(JsonElement element, string field, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FilterValidationException(field, $"filters may nest at most {MaxDepth} levels.");
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return Filter.Empty;
        }

        RequireObject(element, field);
        List<Condition>? must = null, should = null, mustNot = null;
        MinShould? minShould = null;
        foreach (var property in element.EnumerateObject())
        {
            var path = $"{field}.{property.Name}";
            switch (property.Name)
            {
                case "must":
                    must = ReadConditions(property.Value, path, depth);
                    break;
                case "should":
                    should = property.Value.ValueKind == JsonValueKind.Null ? null : ReadConditions(property.Value, path, depth);
                    break;
                case "must_not":
                    mustNot = ReadConditions(property.Value, path, depth);
                    break;
                case "min_should":
                    minShould = ReadMinShould(property.Value, path, depth);
                    break;
                default:
                    throw new FilterValidationException(path, "unknown filter clause; expected must, should, must_not or min_should.");
            }
        }

        return new Filter(must, should, mustNot, minShould);
    }

    private static List<Condition> ReadConditions(JsonElement element, string field, int depth)
    {
        var list = new List<Condition>();
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                break;
            case JsonValueKind.Object:
                list.Add(ReadCondition(element, field, depth));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ReadCondition(item, $"{field}[{i++}]", depth));
                }

                break;
            default:
                throw new FilterValidationException(field, "expected a condition or an array of conditions.");
        }

        return list;
    }

    private static MinShould ReadMinShould(JsonElement element, string field, int depth)
    {
        RequireObject(element, field);
        List<Condition>? conditions = null;
        int? minCount = null;
        foreach (var p in element.EnumerateObject())
        {
            switch (p.Name)
            {
                case "conditions":
                    conditions = ReadConditions(p.Value, $"{field}.conditions", depth);
                    break;
                case "min_count":
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var n) || n < 0)
                    {
                        throw new FilterValidationException($"{field}.min_count", "expected a non-negative integer.");
                    }

                    minCount = n;
                    break;
                default:
                    throw new FilterValidationException($"{field}.{p.Name}", "unknown field; expected conditions and min_count.");
            }
        }

        return new MinShould(
            conditions ?? throw new FilterValidationException($"{field}.conditions", "is required."),
            minCount ?? throw new FilterValidationException($"{field}.min_count", "is required."));
    }

    private static Condition ReadCondition(JsonElement element, string field, int depth)
    {
        RequireObject(element, field);
        if (element.TryGetProperty("key", out _))
        {
            return ReadFieldCondition(element, field);
        }

        // A filter object is a condition too; {} is the empty filter and holds for every point.
        if (IsEmptyObject(element) ||
            element.TryGetProperty("must", out _) || element.TryGetProperty("should", out _) ||
            element.TryGetProperty("must_not", out _) || element.TryGetProperty("min_should", out _))
        {
            return new FilterCondition(ReadFilter(element, field, depth + 1));
        }

        var count = 0;
        Condition? result = null;
        foreach (var p in element.EnumerateObject())
        {
            count++;
            var path = $"{field}.{p.Name}";
            result = p.Name switch
            {
                "is_empty" => new IsEmptyCondition(ReadKeyObject(p.Value, path)),
                "is_null" => new IsNullCondition(ReadKeyObject(p.Value, path)),
                "has_id" => new HasIdCondition(ReadIds(p.Value, path)),
                "filter" => new FilterCondition(ReadFilter(p.Value, path, depth + 1)),
                "nested" or "has_vector" => throw new FilterValidationException(path, $"the '{p.Name}' condition is not supported by RoseForest yet."),
                _ => throw new FilterValidationException(path, "unknown condition; expected key (with match, range or values_count), is_empty, is_null, has_id, or a nested filter."),
            };
        }

        if (count != 1 || result is null)
        {
            throw new FilterValidationException(field, "a condition object must hold exactly one condition.");
        }

        return result;
    }

    private static bool IsEmptyObject(JsonElement element)
    {
        using var e = element.EnumerateObject();
        return !e.MoveNext();
    }

    private static Condition ReadFieldCondition(JsonElement element, string field)
    {
        PayloadPath? key = null;
        Match? match = null;
        NumericRange? range = null, valuesCount = null;
        bool? isEmpty = null;
        bool? isNull = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "key":
                    if (p.Value.ValueKind != JsonValueKind.String)
                    {
                        throw new FilterValidationException(path, "expected a string path.");
                    }

                    key = ParsePath(p.Value.GetString(), path);
                    break;
                case "match":
                    match = p.Value.ValueKind == JsonValueKind.Null ? null : ReadMatch(p.Value, path);
                    break;
                case "range":
                    range = p.Value.ValueKind == JsonValueKind.Null ? null : ReadRange(p.Value, path);
                    break;
                case "values_count":
                    valuesCount = p.Value.ValueKind == JsonValueKind.Null ? null : ReadRange(p.Value, path);
                    break;
                case "is_empty":
                    isEmpty = p.Value.ValueKind == JsonValueKind.Null ? null : ReadBool(p.Value, path);
                    break;
                case "is_null":
                    isNull = p.Value.ValueKind == JsonValueKind.Null ? null : ReadBool(p.Value, path);
                    break;
                case "geo_radius" or "geo_bounding_box" or "geo_polygon" or "datetime_range":
                    throw new FilterValidationException(path, "geo and datetime conditions are not supported by RoseForest yet.");
                default:
                    throw new FilterValidationException(path, "unknown field in a field condition; expected key, match, range or values_count.");
            }
        }

        if (key is null)
        {
            throw new FilterValidationException($"{field}.key", "is required.");
        }

        if (match is null && range is null && valuesCount is null && isEmpty is null && isNull is null)
        {
            throw new FilterValidationException(field, "a field condition needs at least one of match, range, values_count, is_empty or is_null.");
        }

        return new FieldCondition(key, match, range, valuesCount, isEmpty, isNull);
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
                "text" or "phrase" or "text_any" => throw new FilterValidationException(path, "full-text match is not supported by RoseForest yet."),
                _ => throw new FilterValidationException(path, "unknown match kind; expected value, any or except."),
            };
        }

        if (count != 1 || result is null)
        {
            throw new FilterValidationException(field, "a match needs exactly one of value, any or except.");
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

    private static NumericRange ReadRange(JsonElement element, string field)
    {
        RequireObject(element, field);
        double? gt = null, gte = null, lt = null, lte = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            double? value = p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.String => throw new FilterValidationException(path, "datetime ranges are not supported by RoseForest yet; range bounds must be numbers."),
                _ => throw new FilterValidationException(path, $"expected a number, got {p.Value.GetRawText()}."),
            };
            switch (p.Name)
            {
                case "gt":
                    gt = value;
                    break;
                case "gte":
                    gte = value;
                    break;
                case "lt":
                    lt = value;
                    break;
                case "lte":
                    lte = value;
                    break;
                default:
                    throw new FilterValidationException(path, "unknown bound; expected gt, gte, lt or lte.");
            }
        }

        return new NumericRange(gt, gte, lt, lte);
    }

    private static PayloadPath ReadKeyObject(JsonElement element, string field)
    {
        RequireObject(element, field);
        PayloadPath? key = null;
        foreach (var p in element.EnumerateObject())
        {
            if (p.Name != "key")
            {
                throw new FilterValidationException($"{field}.{p.Name}", "unknown field; expected key.");
            }

            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new FilterValidationException($"{field}.key", "expected a string path.");
            }

            key = ParsePath(p.Value.GetString(), $"{field}.key");
        }

        return key ?? throw new FilterValidationException($"{field}.key", "is required.");
    }

    private static List<PointId> ReadIds(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new FilterValidationException(field, "expected an array of point ids.");
        }

        var ids = new List<PointId>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            ids.Add(AsFilterError(() => PointId.FromJson(item, $"{field}[{i}]")));
            i++;
        }

        return ids;
    }

    private static PayloadPath ParsePath(string? text, string field) => AsFilterError(() => PayloadPath.Parse(text, field));

    /// <summary>Reports a bad id or path inside a filter as a filter error.</summary>
    private static T AsFilterError<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ValidationException e) when (e is not FilterValidationException)
        {
            throw new FilterValidationException(e.Field, e.Reason);
        }
    }

    private static bool ReadBool(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false,
        _ => throw new FilterValidationException(field, "expected true or false."),
    };

    private static FilterValue ReadValue(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Keyword(element.GetString()!),
        JsonValueKind.Number when element.TryGetInt64(out var n) => FilterValue.Integer(n),
        JsonValueKind.True => FilterValue.Bool(true),
        JsonValueKind.False => FilterValue.Bool(false),
        _ => throw new FilterValidationException(field, $"a match value must be a string, an integer or a bool, got {element.GetRawText()}."),
    };

    private static void RequireObject(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FilterValidationException(field, $"expected an object, got {element.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }
}
