using RoseForest.Federated.Model;

namespace RoseForest.Federated.Client;

/// <summary>
/// The coordinator's answer to "what should I do": <c>fit</c> or <c>evaluate</c> (with the model
/// and configuration), <c>wait</c>, <c>done</c> or <c>failed</c>.
/// </summary>
public sealed record RoundInstruction(
    string Action,
    int Round,
    int Attempt,
    DateTimeOffset? Deadline,
    IReadOnlyDictionary<string, double> Config,
    ModelParameters? Model,
    SecureAggregationSettings? SecureAggregation,
    string? Reason);

/// <summary>A task's secure-aggregation settings as the fit instruction carries them.</summary>
public sealed record SecureAggregationSettings(int Threshold, float ClipRange, int ScaleBits, int MaxSamples);

/// <summary>The answer to an accepted update: whether it closed the round, and the update's canonical hash.</summary>
public sealed record SubmitResult(bool RoundClosed, string Hash);
