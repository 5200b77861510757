namespace RoseForest.Federated.Model;

/// <summary>A client's training metrics: loss and accuracy (hashed), plus any named extras (not hashed).</summary>
public sealed record UpdateMetrics(float Loss, float Accuracy, IReadOnlyDictionary<string, double>? Extra = null)
{
    /// <summary>No metrics reported: loss and accuracy zero.</summary>
    public static UpdateMetrics None { get; } = new(0f, 0f);
}
