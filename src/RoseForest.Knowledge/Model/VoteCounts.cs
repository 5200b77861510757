using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The <c>votes</c> counts: one current vote per registered node, unweighted.</summary>
public sealed record VoteCounts
{
    /// <summary>Nodes whose current vote is an upvote (<c>upvotes</c>).</summary>
    [JsonPropertyName("upvotes")]
    public int Upvotes { get; init; }

    /// <summary>Nodes whose current vote is a downvote (<c>downvotes</c>).</summary>
    [JsonPropertyName("downvotes")]
    public int Downvotes { get; init; }
}
