namespace RoseForest.Contracts;

/// <summary>Points like the positive examples and unlike the negative ones (Qdrant's <c>recommend</c>).</summary>
/// <param name="Positive">Examples to be close to.</param>
/// <param name="Negative">Examples to stay away from.</param>
/// <param name="Strategy">How the examples are combined.</param>
public sealed record RecommendQuery(IReadOnlyList<VectorInput> Positive, IReadOnlyList<VectorInput> Negative, RecommendStrategy Strategy = RecommendStrategy.AverageVector) : Query;

/// <summary>How a recommendation combines its examples.</summary>
public enum RecommendStrategy
{
    /// <summary>One nearest search for avg(positive) + avg(positive) − avg(negative); needs a positive example.</summary>
    AverageVector,

    /// <summary>Each point scores by its most similar example: sigmoid(best positive) when that beats the best negative, else −sigmoid(best negative).</summary>
    BestScore,

    /// <summary>Each point scores Σ similarity to the positives − Σ similarity to the negatives.</summary>
    SumScores,
}
