using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>One entry of <c>reasoning_trace.alternatives</c>.</summary>
public sealed record ReasoningAlternative
{
    /// <summary>The alternative conclusion (<c>text</c>).</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>Confidence in it (<c>confidence</c>), in [0, 1].</summary>
    [JsonPropertyName("confidence")]
    public double Confidence { get; init; }

    /// <summary>Why it was not chosen (<c>reasoning</c>).</summary>
    [JsonPropertyName("reasoning")]
    public string? Reasoning { get; init; }
}
