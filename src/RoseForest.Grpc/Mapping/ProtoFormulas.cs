using System.Buffers;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>
/// A formula query's expression tree, written as Qdrant's REST formula JSON and read by
/// <see cref="QdrantJson.ReadFormula(JsonElement, string)"/>: one reader of formulas for both doors
/// (as filters, see <see cref="ProtoFilters"/>).
/// </summary>
internal static class ProtoFormulas
{
    private const int MaxDepth = 64;

    public static FormulaQuery ToFormula(G.Formula f, string field)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteExpression(w, f.Expression, field, 0);
        }

        var defaults = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in f.Defaults)
        {
            defaults[name] = ProtoValues.ToJson(value, $"{field}.defaults.{name}");
        }

        return new FormulaQuery(QdrantJson.ReadFormula(JsonElement.Parse(buffer.WrittenSpan), field)) { Defaults = defaults };
    }

    private static void WriteExpression(Utf8JsonWriter w, G.Expression? e, string field, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ValidationException(field, $"formulas nest at most {MaxDepth} deep.");
        }

        switch (e?.VariantCase ?? G.Expression.VariantOneofCase.None)
        {
            case G.Expression.VariantOneofCase.Constant:
                if (!float.IsFinite(e!.Constant))
                {
                    throw new ValidationException(field, "expected a finite number.");
                }

                w.WriteNumberValue(e.Constant);
                return;
            case G.Expression.VariantOneofCase.Variable:
                w.WriteStringValue(e!.Variable);
                return;
            case G.Expression.VariantOneofCase.Condition:
                ProtoFilters.WriteCondition(w, e!.Condition, 1);
                return;
            case G.Expression.VariantOneofCase.None:
                throw new ValidationException(field, "an expression is required.");
        }

        w.WriteStartObject();
        switch (e!.VariantCase)
        {
            case G.Expression.VariantOneofCase.GeoDistance:
                w.WriteStartObject("geo_distance");
                ProtoFilters.WriteGeoPoint(w, "origin", e.GeoDistance.Origin);
                w.WriteString("to", e.GeoDistance.To);
                w.WriteEndObject();
                break;
            case G.Expression.VariantOneofCase.Datetime:
                w.WriteString("datetime", e.Datetime);
                break;
            case G.Expression.VariantOneofCase.DatetimeKey:
                w.WriteString("datetime_key", e.DatetimeKey);
                break;
            case G.Expression.VariantOneofCase.Mult:
                WriteList(w, "mult", e.Mult.Mult, field, depth);
                break;
            case G.Expression.VariantOneofCase.Sum:
                WriteList(w, "sum", e.Sum.Sum, field, depth);
                break;
            case G.Expression.VariantOneofCase.Div:
                w.WriteStartObject("div");
                w.WritePropertyName("left");
                WriteExpression(w, e.Div.Left, $"{field}.div.left", depth + 1);
                w.WritePropertyName("right");
                WriteExpression(w, e.Div.Right, $"{field}.div.right", depth + 1);
                if (e.Div.HasByZeroDefault)
                {
                    w.WriteNumber("by_zero_default", e.Div.ByZeroDefault);
                }

                w.WriteEndObject();
                break;
            case G.Expression.VariantOneofCase.Pow:
                w.WriteStartObject("pow");
                w.WritePropertyName("base");
                WriteExpression(w, e.Pow.Base, $"{field}.pow.base", depth + 1);
                w.WritePropertyName("exponent");
                WriteExpression(w, e.Pow.Exponent, $"{field}.pow.exponent", depth + 1);
                w.WriteEndObject();
                break;
            case G.Expression.VariantOneofCase.Neg:
                WriteUnary(w, "neg", e.Neg, field, depth);
                break;
            case G.Expression.VariantOneofCase.Abs:
                WriteUnary(w, "abs", e.Abs, field, depth);
                break;
            case G.Expression.VariantOneofCase.Sqrt:
                WriteUnary(w, "sqrt", e.Sqrt, field, depth);
                break;
            case G.Expression.VariantOneofCase.Exp:
                WriteUnary(w, "exp", e.Exp, field, depth);
                break;
            case G.Expression.VariantOneofCase.Log10:
                WriteUnary(w, "log10", e.Log10, field, depth);
                break;
            case G.Expression.VariantOneofCase.Ln:
                WriteUnary(w, "ln", e.Ln, field, depth);
                break;
            case G.Expression.VariantOneofCase.ExpDecay:
                WriteDecay(w, "exp_decay", e.ExpDecay, field, depth);
                break;
            case G.Expression.VariantOneofCase.GaussDecay:
                WriteDecay(w, "gauss_decay", e.GaussDecay, field, depth);
                break;
            case G.Expression.VariantOneofCase.LinDecay:
                WriteDecay(w, "lin_decay", e.LinDecay, field, depth);
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteUnary(Utf8JsonWriter w, string name, G.Expression inner, string field, int depth)
    {
        w.WritePropertyName(name);
        WriteExpression(w, inner, $"{field}.{name}", depth + 1);
    }

    private static void WriteList(Utf8JsonWriter w, string name, Google.Protobuf.Collections.RepeatedField<G.Expression> items, string field, int depth)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < items.Count; i++)
        {
            WriteExpression(w, items[i], $"{field}.{name}[{i}]", depth + 1);
        }

        w.WriteEndArray();
    }

    private static void WriteDecay(Utf8JsonWriter w, string name, G.DecayParamsExpression d, string field, int depth)
    {
        w.WriteStartObject(name);
        w.WritePropertyName("x");
        WriteExpression(w, d.X, $"{field}.{name}.x", depth + 1);
        if (d.Target is not null)
        {
            w.WritePropertyName("target");
            WriteExpression(w, d.Target, $"{field}.{name}.target", depth + 1);
        }

        if (d.HasScale)
        {
            w.WriteNumber("scale", d.Scale);
        }

        if (d.HasMidpoint)
        {
            w.WriteNumber("midpoint", d.Midpoint);
        }

        w.WriteEndObject();
    }
}
