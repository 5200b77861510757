using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The <c>trust</c> block: the author's signature and the network's score and votes.</summary>
public sealed record KnowledgeTrust
{
    /// <summary>Ed25519 signature over the canonical form, 128 lowercase hex digits (<c>signature</c>).</summary>
    [JsonPropertyName("signature")]
    public string? Signature { get; init; }

    /// <summary>The trust score in [0, 1] (<c>score</c>), computed by the network.</summary>
    [JsonPropertyName("score")]
    public double? Score { get; init; }

    /// <summary>Vote counts (<c>votes</c>).</summary>
    [JsonPropertyName("votes")]
    public VoteCounts? Votes { get; init; }
}
