using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The answer to an evaluation (vote), as the YumeiCHAIN client reads it.</summary>
public sealed record EvaluationResponse
{
    /// <summary>The package voted on (<c>knowledge_id</c>).</summary>
    [JsonPropertyName("knowledge_id")]
    public required string KnowledgeId { get; init; }

    /// <summary>The trust score after the vote (<c>new_score</c>), in [0, 1].</summary>
    [JsonPropertyName("new_score")]
    public required double NewScore { get; init; }

    /// <summary>The vote counts after the vote (<c>votes</c>).</summary>
    [JsonPropertyName("votes")]
    public required VoteCounts Votes { get; init; }
}
