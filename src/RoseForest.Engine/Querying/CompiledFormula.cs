using System.Globalization;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;
using RoseForest.Core.Payloads;
using RoseForest.Engine.Internal;

namespace RoseForest.Engine.Querying;

/// <summary>
/// A <see cref="FormulaQuery"/> checked and compiled (Qdrant's <c>rescore_formula</c>): variables
/// parsed, datetimes parsed, decay rates computed. Evaluated per point in double precision;
/// a missing or mistyped variable without a default, or a non-finite result, is a 400.
/// </summary>
internal sealed class CompiledFormula
{
    private readonly Node _root;
    private readonly Dictionary<int, double> _scoreDefaults = [];
    private readonly Dictionary<string, JsonElement> _payloadDefaults = new(StringComparer.Ordinal);
    private readonly string _field;

    private CompiledFormula(FormulaQuery query, string field)
    {
        _field = field;
        _root = Compile(query.Formula, $"{field}.formula");
        foreach (var (key, value) in query.Defaults)
        {
            switch (ParseVariable(key, $"{field}.defaults"))
            {
                case ScoreVariable s:
                    if (value.ValueKind == JsonValueKind.Number)
                    {
                        _scoreDefaults[s.Index] = value.GetDouble();
                    }

                    break;
                case PayloadVariable p:
                    _payloadDefaults[p.Path.Text] = value;
                    break;
            }
        }
    }

    public static CompiledFormula Compile(FormulaQuery query, string field) => new(query, field);

    /// <summary>The point's score: the formula over its payload and its scores in each prefetch.</summary>
    public double Evaluate(PointTable table, IReadOnlyList<Dictionary<int, double>> prefetchScores, int slot)
    {
        var value = Eval(_root, new Context(table, prefetchScores, slot));
        return float.IsFinite((float)value) ? value : throw NonFinite($"{value.ToString(CultureInfo.InvariantCulture)} as f32");
    }

    private readonly record struct Context(PointTable Table, IReadOnlyList<Dictionary<int, double>> Scores, int Slot);

    private abstract record Node;

    private sealed record Constant(double Value) : Node;

    private sealed record ScoreVariable(int Index) : Node;

    private sealed record PayloadVariable(PayloadPath Path) : Node;

    private sealed record ConditionNode(Filter Filter) : Node;

    private sealed record GeoDistanceNode(GeoPoint Origin, PayloadPath To) : Node;

    private sealed record DatetimeKeyNode(PayloadPath Key) : Node;

    private sealed record Sum(Node[] Terms) : Node;

    private sealed record Mult(Node[] Factors) : Node;

    private sealed record Unary(FormulaUnaryOperator Operator, Node Operand) : Node;

    private sealed record Div(Node Left, Node Right, double? ByZero) : Node;

    private sealed record Pow(Node Base, Node Exponent) : Node;

    private sealed record Decay(DecayKind Kind, Node X, Node? Target, double Lambda) : Node;

    private static Node Compile(FormulaExpression e, string field) => e switch
    {
        FormulaConstant c => new Constant(c.Value),
        FormulaVariable v => ParseVariable(v.Name, field),
        FormulaCondition c => new ConditionNode(new Filter(must: [c.Condition])),
        FormulaGeoDistance g => new GeoDistanceNode(g.Origin, PayloadPath.Parse(g.To, $"{field}.geo_distance.to")),
        FormulaDatetime d => new Constant(Seconds(FilterDateTime.TryParse(d.Value, out var dt) ? dt : throw new ValidationException($"{field}.datetime", $"failed to parse date-time {d.Value}: expected RFC 3339, e.g. 2014-01-01T00:00:00Z."))),
        FormulaDatetimeKey k => new DatetimeKeyNode(PayloadPath.Parse(k.Key, $"{field}.datetime_key")),
        FormulaSum s => new Sum([.. s.Terms.Select((t, i) => Compile(t, $"{field}.sum[{i}]"))]),
        FormulaMult m => new Mult([.. m.Factors.Select((t, i) => Compile(t, $"{field}.mult[{i}]"))]),
        FormulaUnary u => new Unary(u.Operator, Compile(u.Operand, $"{field}.{u.Operator.ToString().ToLowerInvariant()}")),
        FormulaDiv d => new Div(Compile(d.Left, $"{field}.div.left"), Compile(d.Right, $"{field}.div.right"), d.ByZeroDefault),
        FormulaPow p => new Pow(Compile(p.Base, $"{field}.pow.base"), Compile(p.Exponent, $"{field}.pow.exponent")),
        FormulaDecay d => new Decay(d.Kind, Compile(d.X, $"{field}.decay.x"), d.Target is { } t ? Compile(t, $"{field}.decay.target") : null, DecayLambda(d, $"{field}.{d.Kind.ToString().ToLowerInvariant()}_decay")),
        _ => throw new ValidationException(field, $"unknown expression {e.GetType().Name}."),
    };

    /// <summary>Qdrant's variable names: <c>$score</c>, <c>$score[i]</c>, or a payload path.</summary>
    private static Node ParseVariable(string name, string field)
    {
        if (!name.StartsWith('$'))
        {
            return new PayloadVariable(PayloadPath.Parse(name, field));
        }

        if (name == "$score")
        {
            return new ScoreVariable(0);
        }

        if (name.StartsWith("$score[", StringComparison.Ordinal) && name.EndsWith(']') &&
            int.TryParse(name.AsSpan(7, name.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new ScoreVariable(index);
        }

        throw new ValidationException(field, name.StartsWith("$score", StringComparison.Ordinal)
            ? $"Invalid reserved variable: {name}; use $score or $score[i]."
            : $"Invalid reserved word: {name}; the only reserved variable is $score.");
    }

    /// <summary>λ of a decay from its midpoint and scale (Qdrant's <c>decay_params_to_lambda</c>).</summary>
    private static double DecayLambda(FormulaDecay d, string field)
    {
        var midpoint = d.Midpoint ?? 0.5;
        var scale = d.Scale ?? 1.0;
        if (d.Kind == DecayKind.Lin ? midpoint is < 0 or > 1 : midpoint is <= 0 or >= 1)
        {
            throw new ValidationException($"{field}.midpoint", d.Kind == DecayKind.Lin
                ? $"Linear decay midpoint should be in the range [0.0, 1.0], got {midpoint.ToString(CultureInfo.InvariantCulture)}."
                : $"Decay midpoint should be in the range (0.0, 1.0), got {midpoint.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (scale <= 0)
        {
            throw new ValidationException($"{field}.scale", $"Decay scale should be non-zero positive, got {scale.ToString(CultureInfo.InvariantCulture)}.");
        }

        return d.Kind switch
        {
            DecayKind.Lin => (1 - midpoint) / scale,
            DecayKind.Exp => Math.Log(midpoint) / scale,
            _ => Math.Log(midpoint) / (scale * scale),
        };
    }

    /// <summary>Qdrant's datetime as a number: its microsecond timestamp in seconds.</summary>
    private static double Seconds(FilterDateTime dt) => OrderValue.FromDatetime(dt).Integer / 1_000_000.0;

    private double Eval(Node node, Context c)
    {
        switch (node)
        {
            case Constant k:
                return k.Value;
            case ScoreVariable s:
                return s.Index < c.Scores.Count && c.Scores[s.Index].TryGetValue(c.Slot, out var score) ? score : _scoreDefaults.GetValueOrDefault(s.Index);
            case PayloadVariable p:
                var value = PayloadValue(p.Path, c, "number");
                return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw TypeError(p.Path, "number", "Value is not a number");
            case ConditionNode cond:
                return c.Table.Matches(cond.Filter, c.Slot) ? 1 : 0;
            case GeoDistanceNode g:
                var geo = PayloadValue(g.To, c, "geo point");
                return GeoPoint.TryRead(geo, out var point) ? GeoRadius.Distance(g.Origin, point) : throw TypeError(g.To, "geo point", "Value is not a geo point");
            case DatetimeKeyNode d:
                var text = PayloadValue(d.Key, c, "datetime");
                if (text.ValueKind != JsonValueKind.String)
                {
                    throw TypeError(d.Key, "datetime", "Value is not a string");
                }

                return FilterDateTime.TryParse(text.GetString(), out var dt) ? Seconds(dt) : throw TypeError(d.Key, "datetime", $"'{text.GetString()}' is not an RFC 3339 datetime");
            case Sum sum:
                double total = 0;
                foreach (var term in sum.Terms)
                {
                    total += Eval(term, c);
                }

                return total;
            case Mult mult:
                double product = 1;
                foreach (var factor in mult.Factors)
                {
                    var f = Eval(factor, c);
                    if (f == 0)
                    {
                        return 0;
                    }

                    product *= f;
                }

                return product;
            case Unary u:
                return EvalUnary(u.Operator, Eval(u.Operand, c));
            case Div div:
                var left = Eval(div.Left, c);
                if (left == 0)
                {
                    return 0;
                }

                var right = Eval(div.Right, c);
                if (right == 0 && div.ByZero is { } byZero)
                {
                    return byZero;
                }

                return Finite(left / right, $"{Text(left)}/{Text(right)}");
            case Pow pow:
                var b = Eval(pow.Base, c);
                var x = Eval(pow.Exponent, c);
                return Finite(Math.Pow(b, x), $"{Text(b)}^{Text(x)}");
            case Decay decay:
                var v = Eval(decay.X, c);
                var target = decay.Target is { } t ? Eval(t, c) : 0;
                return decay.Kind switch
                {
                    DecayKind.Exp => Math.Exp(decay.Lambda * Math.Abs(v - target)),
                    DecayKind.Gauss => Math.Exp(decay.Lambda * (v - target) * (v - target)),
                    _ => Math.Max(0, 1 - (decay.Lambda * Math.Abs(v - target))),
                };
            default:
                throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }

    private double EvalUnary(FormulaUnaryOperator op, double v) => op switch
    {
        FormulaUnaryOperator.Neg => -v,
        FormulaUnaryOperator.Abs => Math.Abs(v),
        FormulaUnaryOperator.Sqrt => Finite(Math.Sqrt(v), $"√{Text(v)}"),
        FormulaUnaryOperator.Exp => Finite(Math.Exp(v), $"exp({Text(v)})"),
        FormulaUnaryOperator.Log10 => Finite(Math.Log10(v), $"log10({Text(v)})"),
        _ => Finite(Math.Log(v), $"ln({Text(v)})"),
    };

    /// <summary>The one value at a payload path (several become an array), or the default; missing both is an error.</summary>
    private JsonElement PayloadValue(PayloadPath path, Context c, string expected)
    {
        var values = t_values ??= [];
        PayloadValues.Collect(path, c.Table.PayloadAt(c.Slot), values);
        return values.Count switch
        {
            0 => _payloadDefaults.TryGetValue(path.Text, out var d) ? d : throw TypeError(path, expected, "No value found in a payload nor defaults"),
            1 => values[0],
            _ => JsonSerializer.SerializeToElement(values),
        };
    }

    [ThreadStatic]
    private static List<JsonElement>? t_values;

    private double Finite(double value, string expression) => double.IsFinite(value) ? value : throw NonFinite($"{expression} = {Text(value)}");

    private ValidationException NonFinite(string expression) => new($"{_field}.formula", $"The expression {expression} produced a non-finite number");

    private ValidationException TypeError(PayloadPath path, string expected, string description) =>
        new($"{_field}.formula", $"Expected {expected} value for {path.Text} in the payload and/or in the formula defaults. Error: {description}");

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}
