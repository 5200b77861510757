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
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var n) || n < 1)
                    {
                        throw new FilterValidationException($"{field}.min_count", "min_count must be an integer greater than 0.");
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

    internal static Condition ReadCondition(JsonElement element, string field, int depth)
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
                "has_vector" => new HasVectorCondition(ReadString(p.Value, path)),
                "nested" => ReadNested(p.Value, path, depth),
                "slice" => ReadSlice(p.Value, path),
                "filter" => new FilterCondition(ReadFilter(p.Value, path, depth + 1)),
                _ => throw new FilterValidationException(path, "unknown condition; expected key (a field condition), is_empty, is_null, has_id, has_vector, nested, slice, or a filter (must, should, must_not, min_should)."),
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

    private static NestedCondition ReadNested(JsonElement element, string field, int depth)
    {
        RequireObject(element, field);
        PayloadPath? key = null;
        Filter? filter = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            switch (p.Name)
            {
                case "key":
                    key = ParsePath(ReadString(p.Value, path), path);
                    break;
                case "filter":
                    filter = ReadFilter(p.Value, path, depth + 1);
                    break;
                default:
                    throw new FilterValidationException(path, "unknown field; expected key and filter.");
            }
        }

        return new NestedCondition(
            key ?? throw new FilterValidationException($"{field}.key", "is required."),
            filter ?? throw new FilterValidationException($"{field}.filter", "is required."));
    }

    private static SliceCondition ReadSlice(JsonElement element, string field)
    {
        RequireObject(element, field);
        uint? total = null, index = null;
        foreach (var p in element.EnumerateObject())
        {
            var path = $"{field}.{p.Name}";
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetUInt32(out var n))
            {
                throw new FilterValidationException(path, $"expected an integer from 0 to {uint.MaxValue}, got {p.Value.GetRawText()}.");
            }

            switch (p.Name)
            {
                case "total":
                    total = n > 0 ? n : throw new FilterValidationException(path, "must be at least 1.");
                    break;
                case "index":
                    index = n;
                    break;
                default:
                    throw new FilterValidationException(path, "unknown field; expected total and index.");
            }
        }

        var t = total ?? throw new FilterValidationException($"{field}.total", "is required.");
        var i = index ?? throw new FilterValidationException($"{field}.index", "is required.");
        return i < t ? new SliceCondition(t, i) : throw new FilterValidationException($"{field}.index", "Slice index must be less than the total number of slices.");
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

    private static string ReadString(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FilterValidationException(field, $"expected a string, got {element.GetRawText()}.");

    private static bool ReadBool(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null => false,
        _ => throw new FilterValidationException(field, "expected true or false."),
    };

    private static void RequireObject(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FilterValidationException(field, $"expected an object, got {element.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }
}
