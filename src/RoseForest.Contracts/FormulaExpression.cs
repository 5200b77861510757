using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;

namespace RoseForest.Contracts;

/// <summary>A node of a <see cref="FormulaQuery"/>, evaluated per point in double precision.</summary>
public abstract record FormulaExpression
{
    private protected FormulaExpression()
    {
    }

    /// <summary>A constant.</summary>
    public static implicit operator FormulaExpression(double value) => new FormulaConstant(value);

    /// <summary>A variable: <c>$score</c>, <c>$score[i]</c> or a payload path.</summary>
    public static implicit operator FormulaExpression(string variable) => new FormulaVariable(variable);
}

/// <summary>A number.</summary>
/// <param name="Value">The number.</param>
public sealed record FormulaConstant(double Value) : FormulaExpression;

/// <summary><c>$score</c> (prefetch 0), <c>$score[i]</c>, or a payload path whose value must be a number.</summary>
/// <param name="Name">The variable.</param>
public sealed record FormulaVariable(string Name) : FormulaExpression;

/// <summary>1 when the point matches the condition, else 0.</summary>
/// <param name="Condition">The filter condition.</param>
public sealed record FormulaCondition(Condition Condition) : FormulaExpression;

/// <summary>Haversine distance in meters from <paramref name="Origin"/> to the geo point at payload path <paramref name="To"/>.</summary>
/// <param name="Origin">The origin.</param>
/// <param name="To">The payload path of the destination.</param>
public sealed record FormulaGeoDistance(GeoPoint Origin, string To) : FormulaExpression;

/// <summary>A datetime constant, as seconds since the epoch.</summary>
/// <param name="Value">The datetime text (RFC 3339 and the forms filters accept).</param>
public sealed record FormulaDatetime(string Value) : FormulaExpression;

/// <summary>The datetime at a payload path, as seconds since the epoch.</summary>
/// <param name="Key">The payload path.</param>
public sealed record FormulaDatetimeKey(string Key) : FormulaExpression;

/// <summary>The sum of the terms.</summary>
/// <param name="Terms">The terms.</param>
public sealed record FormulaSum(IReadOnlyList<FormulaExpression> Terms) : FormulaExpression;

/// <summary>The product of the factors (0 as soon as one factor is 0).</summary>
/// <param name="Factors">The factors.</param>
public sealed record FormulaMult(IReadOnlyList<FormulaExpression> Factors) : FormulaExpression;

/// <summary>A function of one operand.</summary>
/// <param name="Operator">The function.</param>
/// <param name="Operand">Its argument.</param>
public sealed record FormulaUnary(FormulaUnaryOperator Operator, FormulaExpression Operand) : FormulaExpression;

/// <summary>The functions of <see cref="FormulaUnary"/>; a non-finite result is an error.</summary>
public enum FormulaUnaryOperator
{
    /// <summary>−x.</summary>
    Neg,

    /// <summary>|x|.</summary>
    Abs,

    /// <summary>√x.</summary>
    Sqrt,

    /// <summary>eˣ.</summary>
    Exp,

    /// <summary>log₁₀ x.</summary>
    Log10,

    /// <summary>ln x.</summary>
    Ln,
}

/// <summary>left / right (0 when left is 0; <see cref="ByZeroDefault"/> when right is 0; a non-finite result is an error).</summary>
/// <param name="Left">The numerator.</param>
/// <param name="Right">The denominator.</param>
public sealed record FormulaDiv(FormulaExpression Left, FormulaExpression Right) : FormulaExpression
{
    /// <summary>The value when the denominator is 0.</summary>
    public double? ByZeroDefault { get; init; }
}

/// <summary>base^exponent.</summary>
/// <param name="Base">The base.</param>
/// <param name="Exponent">The exponent.</param>
public sealed record FormulaPow(FormulaExpression Base, FormulaExpression Exponent) : FormulaExpression;

/// <summary>A decay of |x − target| into [0, 1]: equal to <see cref="Midpoint"/> at distance <see cref="Scale"/>.</summary>
/// <param name="Kind">Linear, exponential or gaussian.</param>
/// <param name="X">The value.</param>
public sealed record FormulaDecay(DecayKind Kind, FormulaExpression X) : FormulaExpression
{
    /// <summary>Where the decay starts (default 0).</summary>
    public FormulaExpression? Target { get; init; }

    /// <summary>The distance at which the result is <see cref="Midpoint"/> (default 1, must be positive).</summary>
    public double? Scale { get; init; }

    /// <summary>The value at distance <see cref="Scale"/> (default 0.5; linear: [0, 1], others: (0, 1)).</summary>
    public double? Midpoint { get; init; }
}

/// <summary>The shape of a <see cref="FormulaDecay"/>.</summary>
public enum DecayKind
{
    /// <summary>max(0, 1 − λ|x − t|), λ = (1 − midpoint) / scale.</summary>
    Lin,

    /// <summary>exp(λ|x − t|), λ = ln(midpoint) / scale.</summary>
    Exp,

    /// <summary>exp(λ(x − t)²), λ = ln(midpoint) / scale².</summary>
    Gauss,
}
