using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;
using RoseForest.Core.Filters;

namespace RoseForest.VectorData.Internal;

/// <summary>
/// Translates an MEVD LINQ filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) into a RoseForest
/// <see cref="Filter"/>: ==, != (null included), &lt;, &lt;=, &gt;, &gt;= on numbers and dates,
/// &amp;&amp;, ||, !, a bool property alone, <c>Contains</c> on an array or list property and on a
/// constant or captured array or list, <c>Any(x =&gt; values.Contains(x))</c> on an array or list
/// property, and the key (as has_id). Captured variables and member chains are evaluated first (the
/// MEVD preprocessor). Anything else throws <see cref="NotSupportedException"/> naming it.
/// </summary>
internal sealed class FilterTranslator : FilterTranslatorBase
{
    public Filter Translate(LambdaExpression lambda, CollectionModel model)
    {
        var body = PreprocessFilter(lambda, model, new FilterPreprocessingOptions { SupportsParameterization = false });
        return ToFilter(Translate(body));
    }

    private static Filter ToFilter(Condition condition) =>
        condition is FilterCondition nested ? nested.Filter : Filter.Where(condition);

    private Condition Translate(Expression node) => node switch
    {
        BinaryExpression { NodeType: ExpressionType.Equal } b => Equal(b.Left, b.Right),
        BinaryExpression { NodeType: ExpressionType.NotEqual } b => Not(Equal(b.Left, b.Right)),
        BinaryExpression { NodeType: ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual } b => Comparison(b),
        BinaryExpression { NodeType: ExpressionType.AndAlso } b => And(Translate(b.Left), Translate(b.Right)),
        BinaryExpression { NodeType: ExpressionType.OrElse } b => Or(Translate(b.Left), Translate(b.Right)),
        UnaryExpression { NodeType: ExpressionType.Not } u => Not(Translate(u.Operand)),
        UnaryExpression { NodeType: ExpressionType.Convert } u when Nullable.GetUnderlyingType(u.Type) == u.Operand.Type => Translate(u.Operand),
        ConstantExpression { Value: true } => Condition.Nested(Filter.Empty),
        ConstantExpression { Value: false } => Condition.Nested(new Filter(should: [])),
        MethodCallExpression call => MethodCall(call),
        _ when node.Type == typeof(bool) && TryBindProperty(node, out var property) => Condition.Match(property.StorageName, true),
        _ => throw Unsupported(node, "this kind of expression"),
    };

    private static NotSupportedException Unsupported(Expression node, string what) =>
        new($"RoseForest cannot translate the filter expression '{node}' ({node.NodeType}): {what} is not supported. Supported: ==, !=, <, <=, >, >=, &&, ||, !, a bool property, Contains on arrays and lists, and Any(x => values.Contains(x)).");

    private Condition Equal(Expression left, Expression right)
    {
        if (TryBindProperty(left, out var property) && TryConstant(right, out var value))
        {
            return Equal(property, value, left);
        }

        if (TryBindProperty(right, out property) && TryConstant(left, out value))
        {
            return Equal(property, value, right);
        }

        throw Unsupported(Expression.Equal(left, right), "an equality that does not compare a record property with a value");
    }

    private static Condition Equal(PropertyModel property, object? value, Expression node)
    {
        if (property is KeyPropertyModel)
        {
            return value is null ? Condition.Nested(new Filter(should: [])) : Condition.HasId(Keys.ToPointId(value));
        }

        var key = property.StorageName;
        return value switch
        {
            null => Condition.IsNull(key),
            string s => Condition.Match(key, FilterValue.Keyword(s)),
            bool b => Condition.Match(key, FilterValue.Bool(b)),
            int or long or short or byte or sbyte or ushort or uint => Condition.Match(key, FilterValue.Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture))),
            ulong u when u <= long.MaxValue => Condition.Match(key, FilterValue.Integer((long)u)),
            double or float or decimal => Condition.Range(key, gte: ToDouble(value), lte: ToDouble(value)),
            Guid g => Condition.Match(key, FilterValue.Keyword(g.ToString("D"))),
            DateTime or DateTimeOffset or DateOnly => Condition.Range(key, new DatetimeRange(Gte: ToDate(value), Lte: ToDate(value))),
            _ => throw Unsupported(node, $"comparing with a value of type {value.GetType().Name}"),
        };
    }

    private Condition Comparison(BinaryExpression comparison)
    {
        var type = comparison.NodeType;
        if (TryBindProperty(comparison.Left, out var property) && TryConstant(comparison.Right, out var value))
        {
            return Range(property, type, value, comparison);
        }

        if (TryBindProperty(comparison.Right, out property) && TryConstant(comparison.Left, out value))
        {
            var flipped = type switch
            {
                ExpressionType.GreaterThan => ExpressionType.LessThan,
                ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
                ExpressionType.LessThan => ExpressionType.GreaterThan,
                _ => ExpressionType.GreaterThanOrEqual,
            };
            return Range(property, flipped, value, comparison);
        }

        throw Unsupported(comparison, "a comparison that does not compare a record property with a value");
    }

    private static Condition Range(PropertyModel property, ExpressionType type, object? value, Expression node)
    {
        if (property is KeyPropertyModel)
        {
            throw Unsupported(node, "a range over the key");
        }

        var key = property.StorageName;
        switch (value)
        {
            case int or long or short or byte or sbyte or ushort or uint or ulong or double or float or decimal:
                var x = ToDouble(value);
                return type switch
                {
                    ExpressionType.GreaterThan => Condition.Range(key, gt: x),
                    ExpressionType.GreaterThanOrEqual => Condition.Range(key, gte: x),
                    ExpressionType.LessThan => Condition.Range(key, lt: x),
                    _ => Condition.Range(key, lte: x),
                };
            case DateTime or DateTimeOffset or DateOnly:
                var t = ToDate(value);
                return Condition.Range(key, type switch
                {
                    ExpressionType.GreaterThan => new DatetimeRange(Gt: t),
                    ExpressionType.GreaterThanOrEqual => new DatetimeRange(Gte: t),
                    ExpressionType.LessThan => new DatetimeRange(Lt: t),
                    _ => new DatetimeRange(Lte: t),
                });
            default:
                throw Unsupported(node, $"a range over a value of type {value?.GetType().Name ?? "null"}");
        }
    }

    private Condition MethodCall(MethodCallExpression call)
    {
        if (TryMatchContains(call, out var source, out var item))
        {
            // A property that is an array or list holds the item: Qdrant's match on any element.
            if (TryBindProperty(source, out var arrayProperty))
            {
                return TryConstant(item, out var element)
                    ? Equal(arrayProperty, element, call)
                    : throw Unsupported(call, "Contains over a property with an item that is not a value");
            }

            // A constant or captured collection holds the property's value.
            if (TryValues(source, out var values) && TryBindProperty(item, out var property))
            {
                return AnyOf(property, values, call);
            }

            throw Unsupported(call, "this form of Contains");
        }

        // r.Tags.Any(t => values.Contains(t))
        if (call.Method.DeclaringType == typeof(Enumerable) && call.Method.Name == nameof(Enumerable.Any) &&
            call.Arguments is [var anySource, LambdaExpression { Body: MethodCallExpression inner } lambda] &&
            TryBindProperty(anySource, out var tags) &&
            TryMatchContains(inner, out var valuesSource, out var valuesItem) && valuesItem == lambda.Parameters[0] &&
            TryValues(valuesSource, out var anyValues))
        {
            return AnyOf(tags, anyValues, call);
        }

        throw Unsupported(call, $"the method {call.Method.DeclaringType?.Name}.{call.Method.Name}");
    }

    private static Condition AnyOf(PropertyModel property, List<object?> values, Expression node)
    {
        if (property is not KeyPropertyModel && values.Count > 0 && values.All(v => v is string))
        {
            return Condition.MatchAny(property.StorageName, [.. values.Select(v => FilterValue.Keyword((string)v!))]);
        }

        if (property is not KeyPropertyModel && values.Count > 0 && values.All(v => v is int or long or short or byte))
        {
            return Condition.MatchAny(property.StorageName, [.. values.Select(v => FilterValue.Integer(Convert.ToInt64(v, CultureInfo.InvariantCulture)))]);
        }

        if (property is KeyPropertyModel && values.All(v => v is not null))
        {
            return Condition.HasId([.. values.Select(Keys.ToPointId)]);
        }

        // Mixed, null or other values: one equality per value, any of which may hold (none: nothing matches).
        return Condition.Nested(new Filter(should: [.. values.Select(v => Equal(property, v, node))]));
    }

    private static bool TryValues(Expression expression, out List<object?> values)
    {
        values = [];
        switch (expression)
        {
            case NewArrayExpression array:
                foreach (var e in array.Expressions)
                {
                    if (!TryConstant(e, out var v))
                    {
                        return false;
                    }

                    values.Add(v);
                }

                return true;
            case ConstantExpression { Value: IEnumerable enumerable and not string }:
                foreach (var v in enumerable)
                {
                    values.Add(v);
                }

                return true;
            default:
                return false;
        }
    }

    private static bool TryConstant(Expression expression, out object? value)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Convert } convert)
        {
            expression = convert.Operand;
        }

        if (expression is ConstantExpression constant)
        {
            value = constant.Value;
            return true;
        }

        value = null;
        return false;
    }

    private static Condition And(Condition left, Condition right)
    {
        var must = new List<Condition>();
        AddFlattened(must, left);
        AddFlattened(must, right);
        return Condition.Nested(new Filter(must: must));

        static void AddFlattened(List<Condition> must, Condition c)
        {
            if (c is FilterCondition { Filter: { Should: null, MustNot.Count: 0, MinShould: null } f })
            {
                must.AddRange(f.Must);
            }
            else
            {
                must.Add(c);
            }
        }
    }

    private static Condition Or(Condition left, Condition right)
    {
        var should = new List<Condition>();
        AddFlattened(should, left);
        AddFlattened(should, right);
        return Condition.Nested(new Filter(should: should));

        static void AddFlattened(List<Condition> should, Condition c)
        {
            if (c is FilterCondition { Filter: { Should: { } s, Must.Count: 0, MustNot.Count: 0, MinShould: null } })
            {
                should.AddRange(s);
            }
            else
            {
                should.Add(c);
            }
        }
    }

    private static Condition Not(Condition condition) =>
        condition is FilterCondition { Filter: { Must.Count: 0, Should: null, MinShould: null, MustNot.Count: 1 } f }
            ? f.MustNot[0]
            : Condition.Nested(new Filter(mustNot: [condition]));

    private static double ToDouble(object value) => value switch
    {
        // A float is compared at the decimal value it prints as, which is what its JSON payload holds.
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static FilterDateTime ToDate(object value) => value switch
    {
        DateTimeOffset o => FilterDateTime.FromDateTimeOffset(o),
        DateTime d => FilterDateTime.FromDateTimeOffset(new DateTimeOffset(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        DateOnly d => FilterDateTime.FromDateTimeOffset(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        _ => throw new InvalidOperationException("not a date"),
    };
}
