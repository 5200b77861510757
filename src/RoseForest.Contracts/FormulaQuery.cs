using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>
/// Rescores the prefetched points with a formula (Qdrant's score boosting): <c>$score</c> and
/// <c>$score[i]</c> are the scores of prefetch i, other variables are payload values, conditions
/// count 1 or 0. Higher is better.
/// </summary>
/// <param name="Formula">The expression.</param>
public sealed record FormulaQuery(FormulaExpression Formula) : Query
{
    /// <summary>Values for variables a point lacks (<c>"$score[1]"</c> or a payload path → value).</summary>
    public IReadOnlyDictionary<string, JsonElement> Defaults { get; init; } = new Dictionary<string, JsonElement>();
}
