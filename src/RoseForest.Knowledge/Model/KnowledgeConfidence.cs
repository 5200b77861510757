using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The <c>confidence</c> of a knowledge package: numbers in [0, 1].</summary>
public sealed record KnowledgeConfidence
{
    /// <summary>Overall confidence (<c>overall</c>), in [0, 1].</summary>
    [JsonPropertyName("overall")]
    public double Overall { get; init; }

    /// <summary>Confidence per statement (<c>statements</c>), each in [0, 1]; optional.</summary>
    [JsonPropertyName("statements")]
    public IReadOnlyDictionary<string, double>? Statements { get; init; }
}
