using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>Formulas nest at most this deep.</summary>
    private const int MaxFormulaDepth = 64;

    /// <summary>
    /// Qdrant's Expression: a number, a variable name, a condition (any filter condition), or one
    /// of <c>mult</c>, <c>sum</c>, <c>neg</c>, <c>abs</c>, <c>sqrt</c>, <c>exp</c>, <c>log10</c>,
    /// <c>ln</c>, <c>div</c>, <c>pow</c>, <c>geo_distance</c>, <c>datetime</c>,
    /// <c>datetime_key</c>, <c>lin_decay</c>, <c>exp_decay</c>, <c>gauss_decay</c>.
    /// </summary>
    public static FormulaExpression ReadFormula(JsonElement e, string field) => ReadFormula(e, field, 0);

    private static FormulaExpression ReadFormula(JsonElement e, string field, int depth)
    {
        if (depth > MaxFormulaDepth)
        {
            throw new ValidationException(field, $"formulas nest at most {MaxFormulaDepth} deep.");
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return double.IsFinite(e.GetDouble()) ? new FormulaConstant(e.GetDouble()) : throw new ValidationException(field, "expected a finite number.");
            case JsonValueKind.String:
                return new FormulaVariable(e.GetString()!);
            case JsonValueKind.Object:
                break;
            default:
                throw new ValidationException(field, $"expected a number, a variable name, a condition or an expression object, got {JsonFields.Kind(e)}.");
        }

        using var properties = e.EnumerateObject();
        var first = properties.MoveNext() ? properties.Current : default;
        var single = first.Value.ValueKind != JsonValueKind.Undefined && !properties.MoveNext();
        var path = single ? JsonFields.Join(field, first.Name) : field;
        switch (single ? first.Name : null)
        {
            case "mult":
                return new FormulaMult(ReadFormulaList(first.Value, path, depth));
            case "sum":
                return new FormulaSum(ReadFormulaList(first.Value, path, depth));
            case "neg":
                return new FormulaUnary(FormulaUnaryOperator.Neg, ReadFormula(first.Value, path, depth + 1));
            case "abs":
                return new FormulaUnary(FormulaUnaryOperator.Abs, ReadFormula(first.Value, path, depth + 1));
            case "sqrt":
                return new FormulaUnary(FormulaUnaryOperator.Sqrt, ReadFormula(first.Value, path, depth + 1));
            case "exp":
                return new FormulaUnary(FormulaUnaryOperator.Exp, ReadFormula(first.Value, path, depth + 1));
            case "log10":
                return new FormulaUnary(FormulaUnaryOperator.Log10, ReadFormula(first.Value, path, depth + 1));
            case "ln":
                return new FormulaUnary(FormulaUnaryOperator.Ln, ReadFormula(first.Value, path, depth + 1));
            case "div":
                JsonFields.Object(first.Value, path, "left", "right", "by_zero_default");
                return new FormulaDiv(RequiredFormula(first.Value, "left", path, depth), RequiredFormula(first.Value, "right", path, depth))
                {
                    ByZeroDefault = JsonFields.Double(first.Value, "by_zero_default", path),
                };
            case "pow":
                JsonFields.Object(first.Value, path, "base", "exponent");
                return new FormulaPow(RequiredFormula(first.Value, "base", path, depth), RequiredFormula(first.Value, "exponent", path, depth));
            case "geo_distance":
                JsonFields.Object(first.Value, path, "origin", "to");
                return new FormulaGeoDistance(
                    QdrantFilter.ReadGeoPoint(JsonFields.Get(first.Value, "origin") ?? throw new ValidationException($"{path}.origin", "is required."), $"{path}.origin"),
                    JsonFields.String(first.Value, "to", path) ?? throw new ValidationException($"{path}.to", "is required."));
            case "datetime":
                return new FormulaDatetime(first.Value.ValueKind == JsonValueKind.String ? first.Value.GetString()! : throw new ValidationException(path, "expected a datetime string."));
            case "datetime_key":
                return new FormulaDatetimeKey(first.Value.ValueKind == JsonValueKind.String ? first.Value.GetString()! : throw new ValidationException(path, "expected a payload key."));
            case "lin_decay":
                return ReadDecay(DecayKind.Lin, first.Value, path, depth);
            case "exp_decay":
                return ReadDecay(DecayKind.Exp, first.Value, path, depth);
            case "gauss_decay":
                return ReadDecay(DecayKind.Gauss, first.Value, path, depth);
            default:
                return new FormulaCondition(QdrantFilter.ReadCondition(e, field, depth));
        }
    }

    private static FormulaExpression RequiredFormula(JsonElement obj, string name, string field, int depth) =>
        ReadFormula(JsonFields.Get(obj, name) ?? throw new ValidationException(JsonFields.Join(field, name), "is required."), JsonFields.Join(field, name), depth + 1);

    private static List<FormulaExpression> ReadFormulaList(JsonElement list, string field, int depth)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, "expected an array of expressions.");
        }

        var result = new List<FormulaExpression>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            result.Add(ReadFormula(item, $"{field}[{i++}]", depth + 1));
        }

        return result;
    }

    private static FormulaDecay ReadDecay(DecayKind kind, JsonElement value, string field, int depth)
    {
        JsonFields.Object(value, field, "x", "target", "scale", "midpoint");
        return new FormulaDecay(kind, RequiredFormula(value, "x", field, depth))
        {
            Target = JsonFields.Get(value, "target") is { } t ? ReadFormula(t, $"{field}.target", depth + 1) : null,
            Scale = JsonFields.Double(value, "scale", field),
            Midpoint = JsonFields.Double(value, "midpoint", field),
        };
    }

    /// <summary><c>defaults</c>: variable name → JSON value.</summary>
    private static Dictionary<string, JsonElement> ReadDefaults(JsonElement q, string field)
    {
        var defaults = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (JsonFields.Get(q, "defaults") is not { } d)
        {
            return defaults;
        }

        if (d.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(JsonFields.Join(field, "defaults"), "expected an object of variable name → value.");
        }

        foreach (var p in d.EnumerateObject())
        {
            defaults[p.Name] = p.Value.Clone();
        }

        return defaults;
    }

    /// <summary>Writes an Expression.</summary>
    public static void WriteFormula(Utf8JsonWriter w, FormulaExpression expression)
    {
        switch (expression)
        {
            case FormulaConstant c:
                w.WriteNumberValue(c.Value);
                return;
            case FormulaVariable v:
                w.WriteStringValue(v.Name);
                return;
            case FormulaCondition c:
                QdrantFilter.WriteCondition(w, c.Condition);
                return;
        }

        w.WriteStartObject();
        switch (expression)
        {
            case FormulaSum s:
                WriteFormulaList(w, "sum", s.Terms);
                break;
            case FormulaMult m:
                WriteFormulaList(w, "mult", m.Factors);
                break;
            case FormulaUnary u:
                w.WritePropertyName(u.Operator switch
                {
                    FormulaUnaryOperator.Neg => "neg",
                    FormulaUnaryOperator.Abs => "abs",
                    FormulaUnaryOperator.Sqrt => "sqrt",
                    FormulaUnaryOperator.Exp => "exp",
                    FormulaUnaryOperator.Log10 => "log10",
                    _ => "ln",
                });
                WriteFormula(w, u.Operand);
                break;
            case FormulaDiv d:
                w.WriteStartObject("div");
                w.WritePropertyName("left");
                WriteFormula(w, d.Left);
                w.WritePropertyName("right");
                WriteFormula(w, d.Right);
                WriteOptionalNumber(w, "by_zero_default", d.ByZeroDefault);
                w.WriteEndObject();
                break;
            case FormulaPow p:
                w.WriteStartObject("pow");
                w.WritePropertyName("base");
                WriteFormula(w, p.Base);
                w.WritePropertyName("exponent");
                WriteFormula(w, p.Exponent);
                w.WriteEndObject();
                break;
            case FormulaGeoDistance g:
                w.WriteStartObject("geo_distance");
                QdrantFilter.WriteGeoPoint(w, "origin", g.Origin);
                w.WriteString("to", g.To);
                w.WriteEndObject();
                break;
            case FormulaDatetime dt:
                w.WriteString("datetime", dt.Value);
                break;
            case FormulaDatetimeKey key:
                w.WriteString("datetime_key", key.Key);
                break;
            case FormulaDecay decay:
                w.WriteStartObject(decay.Kind switch { DecayKind.Lin => "lin_decay", DecayKind.Exp => "exp_decay", _ => "gauss_decay" });
                w.WritePropertyName("x");
                WriteFormula(w, decay.X);
                if (decay.Target is { } target)
                {
                    w.WritePropertyName("target");
                    WriteFormula(w, target);
                }

                WriteOptionalNumber(w, "scale", decay.Scale);
                WriteOptionalNumber(w, "midpoint", decay.Midpoint);
                w.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"unknown expression type {expression.GetType().Name}", nameof(expression));
        }

        w.WriteEndObject();
    }

    private static void WriteFormulaList(Utf8JsonWriter w, string name, IReadOnlyList<FormulaExpression> items)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            WriteFormula(w, item);
        }

        w.WriteEndArray();
    }
}
