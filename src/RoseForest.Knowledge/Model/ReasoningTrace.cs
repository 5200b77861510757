using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The <c>reasoning_trace</c> of a knowledge package.</summary>
public sealed record ReasoningTrace
{
    /// <summary>The reasoning method (<c>method</c>); required.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    /// <summary>The steps in order (<c>steps</c>); required, may be empty.</summary>
    [JsonPropertyName("steps")]
    public IReadOnlyList<string>? Steps { get; init; }

    /// <summary>Conclusions considered and not chosen (<c>alternatives</c>); optional.</summary>
    [JsonPropertyName("alternatives")]
    public IReadOnlyList<ReasoningAlternative>? Alternatives { get; init; }
}
