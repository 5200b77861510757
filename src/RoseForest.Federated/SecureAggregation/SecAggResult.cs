namespace RoseForest.Federated.SecureAggregation;

/// <summary>The outcome of a secure-aggregation round: the sum of the survivors' inputs (dequantized) and who they were.</summary>
public sealed record SecAggResult(float[] Sum, IReadOnlyList<string> Contributors);
