namespace RoseForest.Contracts;

/// <summary>
/// Discovery: points close to a target, constrained by context pairs. The integer part of the
/// score counts the pairs whose positive is more similar than their negative, minus those the
/// other way round; the fraction is sigmoid(similarity to the target).
/// </summary>
/// <param name="Target">The target.</param>
/// <param name="Context">The pairs that constrain the search (may be empty).</param>
public sealed record DiscoverQuery(VectorInput Target, IReadOnlyList<ContextPair> Context) : Query;

/// <summary>
/// Context search: points in the zone where the positives of the pairs win. Each pair adds
/// fast_sigmoid(min(similarity to positive − similarity to negative − ε, 0)), so the best score is 0.
/// </summary>
/// <param name="Pairs">The context pairs.</param>
public sealed record ContextQuery(IReadOnlyList<ContextPair> Pairs) : Query;

/// <summary>A positive and a negative example.</summary>
/// <param name="Positive">The example to be closer to.</param>
/// <param name="Negative">The example to be further from.</param>
public sealed record ContextPair(VectorInput Positive, VectorInput Negative);
