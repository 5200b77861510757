using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>
    /// Qdrant's QueryInterface: a VectorInput (a nearest query) or one of the query objects
    /// <c>nearest</c> (with <c>mmr</c>), <c>recommend</c>, <c>discover</c>, <c>context</c>,
    /// <c>order_by</c>, <c>fusion</c>, <c>rrf</c>, <c>formula</c> (with <c>defaults</c>), <c>sample</c>.
    /// </summary>
    public static Query ReadQueryInterface(JsonElement q, string field)
    {
        if (q.ValueKind != JsonValueKind.Object || IsVectorObject(q))
        {
            return new NearestQuery(ReadVectorInput(q, field));
        }

        var names = q.EnumerateObject().Select(p => p.Name).ToList();
        var kind = names.FirstOrDefault(n => n is not ("mmr" or "defaults"))
            ?? throw new ValidationException(field, "expected a query: nearest, recommend, discover, context, order_by, fusion, rrf, formula or sample.");
        var path = JsonFields.Join(field, kind);
        var value = q.GetProperty(kind);
        switch (kind)
        {
            case "nearest":
                JsonFields.Object(q, field, "nearest", "mmr");
                return new NearestQuery(ReadVectorInput(value, path)) { Mmr = JsonFields.Get(q, "mmr") is { } mmr ? ReadMmr(mmr, JsonFields.Join(field, "mmr")) : null };
            case "recommend":
                JsonFields.Object(q, field, "recommend");
                return ReadRecommendInput(value, path);
            case "discover":
                JsonFields.Object(q, field, "discover");
                JsonFields.Object(value, path, "target", "context");
                return new DiscoverQuery(
                    ReadVectorInput(JsonFields.Get(value, "target") ?? throw new ValidationException($"{path}.target", "is required."), $"{path}.target"),
                    ReadContextPairs(value.TryGetProperty("context", out var ctx) ? ctx : default, $"{path}.context"));
            case "context":
                JsonFields.Object(q, field, "context");
                return new ContextQuery(ReadContextPairs(value, path));
            case "order_by":
                JsonFields.Object(q, field, "order_by");
                return ReadOrderBy(value, path);
            case "fusion":
                JsonFields.Object(q, field, "fusion");
                return (value.ValueKind == JsonValueKind.String ? value.GetString() : null) switch
                {
                    "rrf" => FusionQuery.Rrf,
                    "dbsf" => FusionQuery.Dbsf,
                    _ => throw new ValidationException(path, "expected \"rrf\" or \"dbsf\"."),
                };
            case "rrf":
                JsonFields.Object(q, field, "rrf");
                JsonFields.Object(value, path, "k", "weights");
                return new FusionQuery(FusionMethod.Rrf)
                {
                    K = JsonFields.Int(value, "k", path, 1, int.MaxValue),
                    Weights = JsonFields.Get(value, "weights") is { } weights ? ReadNumbers(weights, $"{path}.weights") : null,
                };
            case "formula":
                JsonFields.Object(q, field, "formula", "defaults");
                return new FormulaQuery(ReadFormula(value, path, 0)) { Defaults = ReadDefaults(q, field) };
            case "sample":
                JsonFields.Object(q, field, "sample");
                return value.ValueKind == JsonValueKind.String && value.GetString() == "random"
                    ? SampleQuery.Random
                    : throw new ValidationException(path, "expected \"random\".");
            case "relevance_feedback":
                throw new ValidationException(path, "relevance feedback queries are not supported by RoseForest.");
            default:
                throw new ValidationException(path, "unknown query; expected nearest, recommend, discover, context, order_by, fusion, rrf, formula or sample.");
        }
    }

    /// <summary>True for an object that is a vector itself (sparse, or an inference object), not a query.</summary>
    private static bool IsVectorObject(JsonElement q) =>
        q.TryGetProperty("indices", out _) || q.TryGetProperty("values", out _) ||
        q.TryGetProperty("text", out _) || q.TryGetProperty("image", out _) || q.TryGetProperty("object", out _);

    /// <summary>Qdrant's VectorInput: a dense vector, a multivector, a sparse vector, or a point id (integer or UUID).</summary>
    public static VectorInput ReadVectorInput(JsonElement v, string field) =>
        v.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? VectorInput.OfPoint(PointId.FromJson(v, field))
            : VectorInput.Of(ReadVectorData(v, field));

    private static Mmr ReadMmr(JsonElement mmr, string field)
    {
        JsonFields.Object(mmr, field, "diversity", "candidates_limit");
        var diversity = JsonFields.Double(mmr, "diversity", field);
        if (diversity is < 0 or > 1)
        {
            throw new ValidationException($"{field}.diversity", $"must be between 0 and 1, got {diversity}.");
        }

        return new Mmr { Diversity = diversity, CandidatesLimit = JsonFields.Int(mmr, "candidates_limit", field, 0, 16384) };
    }

    private static RecommendQuery ReadRecommendInput(JsonElement value, string path)
    {
        JsonFields.Object(value, path, "positive", "negative", "strategy");
        return new RecommendQuery(
            ReadVectorInputs(value, "positive", path),
            ReadVectorInputs(value, "negative", path),
            ReadStrategy(value, path));
    }

    private static List<VectorInput> ReadVectorInputs(JsonElement obj, string name, string field)
    {
        if (JsonFields.Get(obj, name) is not { } list)
        {
            return [];
        }

        var path = JsonFields.Join(field, name);
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(path, "expected an array of vectors or point ids.");
        }

        var result = new List<VectorInput>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            result.Add(ReadVectorInput(item, $"{path}[{i++}]"));
        }

        return result;
    }

    private static RecommendStrategy ReadStrategy(JsonElement obj, string field) => JsonFields.String(obj, "strategy", field) switch
    {
        null or "average_vector" => RecommendStrategy.AverageVector,
        "best_score" => RecommendStrategy.BestScore,
        "sum_scores" => RecommendStrategy.SumScores,
        var other => throw new ValidationException(JsonFields.Join(field, "strategy"), $"expected average_vector, best_score or sum_scores, got {other}."),
    };

    /// <summary>Context: one pair, an array of pairs, or null (no pairs).</summary>
    private static List<ContextPair> ReadContextPairs(JsonElement value, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return [];
            case JsonValueKind.Object:
                return [ReadContextPair(value, field)];
            case JsonValueKind.Array:
                var pairs = new List<ContextPair>();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    pairs.Add(ReadContextPair(item, $"{field}[{i++}]"));
                }

                return pairs;
            default:
                throw new ValidationException(field, "expected a {positive, negative} pair or an array of them.");
        }
    }

    private static ContextPair ReadContextPair(JsonElement pair, string field)
    {
        JsonFields.Object(pair, field, "positive", "negative");
        return new ContextPair(
            ReadVectorInput(JsonFields.Get(pair, "positive") ?? throw new ValidationException($"{field}.positive", "is required."), $"{field}.positive"),
            ReadVectorInput(JsonFields.Get(pair, "negative") ?? throw new ValidationException($"{field}.negative", "is required."), $"{field}.negative"));
    }

    /// <summary>order_by: a key, or <c>{key, direction, start_from}</c>.</summary>
    private static OrderByQuery ReadOrderBy(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return new OrderByQuery(value.GetString()!);
        }

        JsonFields.Object(value, field, "key", "direction", "start_from");
        var direction = JsonFields.String(value, "direction", field) switch
        {
            null or "asc" => OrderDirection.Asc,
            "desc" => OrderDirection.Desc,
            var other => throw new ValidationException($"{field}.direction", $"expected asc or desc, got {other}."),
        };
        return new OrderByQuery(JsonFields.String(value, "key", field) ?? throw new ValidationException($"{field}.key", "is required."))
        {
            Direction = direction,
            StartFrom = JsonFields.Get(value, "start_from") is { } s ? ReadOrderValue(s, $"{field}.start_from") : null,
        };
    }

    /// <summary>An order value: an integer, a float, or a datetime string (as microseconds since the epoch, Qdrant's representation).</summary>
    public static OrderValue ReadOrderValue(JsonElement v, string field)
    {
        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.TryGetInt64(out var n) ? OrderValue.FromInteger(n) : OrderValue.FromDouble(v.GetDouble());
        }

        if (v.ValueKind == JsonValueKind.String && FilterDateTime.TryParse(v.GetString(), out var dt))
        {
            return OrderValue.FromDatetime(dt);
        }

        throw new ValidationException(field, "expected a number or an RFC 3339 datetime.");
    }

    /// <summary>Writes an order value as a JSON number (an integer when it is one).</summary>
    public static void WriteOrderValue(Utf8JsonWriter w, OrderValue value)
    {
        if (value.IsInteger)
        {
            w.WriteNumberValue(value.Integer);
        }
        else
        {
            w.WriteNumberValue(value.AsDouble);
        }
    }

    private static List<double> ReadNumbers(JsonElement list, string field)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, "expected an array of numbers.");
        }

        var result = new List<double>();
        var i = 0;
        foreach (var x in list.EnumerateArray())
        {
            result.Add(x.ValueKind == JsonValueKind.Number && double.IsFinite(x.GetDouble()) ? x.GetDouble() : throw new ValidationException($"{field}[{i}]", "expected a number."));
            i++;
        }

        return result;
    }

    /// <summary>Writes a QueryInterface.</summary>
    public static void WriteQueryInterface(Utf8JsonWriter w, Query query)
    {
        w.WriteStartObject();
        switch (query)
        {
            case NearestQuery n:
                w.WritePropertyName("nearest");
                WriteVectorInput(w, n.Vector);
                if (n.Mmr is { } mmr)
                {
                    w.WriteStartObject("mmr");
                    WriteOptionalNumber(w, "diversity", mmr.Diversity);
                    WriteOptionalNumber(w, "candidates_limit", mmr.CandidatesLimit);
                    w.WriteEndObject();
                }

                break;
            case RecommendQuery r:
                w.WriteStartObject("recommend");
                WriteVectorInputs(w, "positive", r.Positive);
                WriteVectorInputs(w, "negative", r.Negative);
                w.WriteString("strategy", r.Strategy switch
                {
                    RecommendStrategy.BestScore => "best_score",
                    RecommendStrategy.SumScores => "sum_scores",
                    _ => "average_vector",
                });
                w.WriteEndObject();
                break;
            case DiscoverQuery d:
                w.WriteStartObject("discover");
                w.WritePropertyName("target");
                WriteVectorInput(w, d.Target);
                WriteContextPairs(w, "context", d.Context);
                w.WriteEndObject();
                break;
            case ContextQuery c:
                WriteContextPairs(w, "context", c.Pairs);
                break;
            case OrderByQuery o:
                w.WriteStartObject("order_by");
                w.WriteString("key", o.Key);
                w.WriteString("direction", o.Direction == OrderDirection.Desc ? "desc" : "asc");
                if (o.StartFrom is { } start)
                {
                    w.WritePropertyName("start_from");
                    WriteOrderValue(w, start);
                }

                w.WriteEndObject();
                break;
            case FusionQuery { Method: FusionMethod.Rrf, K: null, Weights: null }:
                w.WriteString("fusion", "rrf");
                break;
            case FusionQuery { Method: FusionMethod.Rrf } rrf:
                w.WriteStartObject("rrf");
                WriteOptionalNumber(w, "k", rrf.K);
                if (rrf.Weights is { } weights)
                {
                    w.WriteStartArray("weights");
                    foreach (var x in weights)
                    {
                        w.WriteNumberValue(x);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                break;
            case FusionQuery:
                w.WriteString("fusion", "dbsf");
                break;
            case FormulaQuery f:
                w.WritePropertyName("formula");
                WriteFormula(w, f.Formula);
                w.WriteStartObject("defaults");
                foreach (var (key, value) in f.Defaults)
                {
                    w.WritePropertyName(key);
                    value.WriteTo(w);
                }

                w.WriteEndObject();
                break;
            case SampleQuery:
                w.WriteString("sample", "random");
                break;
            default:
                throw new ArgumentException($"unknown query type {query.GetType().Name}", nameof(query));
        }

        w.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } x)
        {
            w.WriteNumber(name, x);
        }
    }

    /// <summary>Writes a VectorInput: the vector, or the point id.</summary>
    public static void WriteVectorInput(Utf8JsonWriter w, VectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Id is { } id)
        {
            id.WriteTo(w);
        }
        else
        {
            WriteVectorData(w, input.Vector!);
        }
    }

    private static void WriteVectorInputs(Utf8JsonWriter w, string name, IReadOnlyList<VectorInput> inputs)
    {
        w.WriteStartArray(name);
        foreach (var input in inputs)
        {
            WriteVectorInput(w, input);
        }

        w.WriteEndArray();
    }

    private static void WriteContextPairs(Utf8JsonWriter w, string name, IReadOnlyList<ContextPair> pairs)
    {
        w.WriteStartArray(name);
        foreach (var pair in pairs)
        {
            w.WriteStartObject();
            w.WritePropertyName("positive");
            WriteVectorInput(w, pair.Positive);
            w.WritePropertyName("negative");
            WriteVectorInput(w, pair.Negative);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
