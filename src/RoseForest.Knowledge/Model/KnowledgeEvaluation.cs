using System.Text.Json.Serialization;
using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Model;

/// <summary>An <c>evaluate_knowledge</c> request as the YumeiCHAIN client sends it.</summary>
public sealed record KnowledgeEvaluation
{
    /// <summary>The voting node (<c>evaluating_node</c>).</summary>
    [JsonPropertyName("evaluating_node")]
    public string? EvaluatingNode { get; init; }

    /// <summary><c>upvote</c> or <c>downvote</c> (<c>vote</c>).</summary>
    [JsonPropertyName("vote")]
    public string? Vote { get; init; }

    /// <summary>Why (<c>reason</c>); optional.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>How sure the voter is (<c>confidence</c>), in [0, 1].</summary>
    [JsonPropertyName("confidence")]
    public double Confidence { get; init; }

    /// <summary>The vote this request stands for, stamped with the voter's clock reading; validated.</summary>
    public KnowledgeVote ToVote(string knowledgeId, HlcTimestamp stamp)
    {
        var kind = Vote switch
        {
            "upvote" => VoteKind.Upvote,
            "downvote" => VoteKind.Downvote,
            _ => throw new KnowledgeValidationException("vote", "must be upvote or downvote"),
        };
        var vote = new KnowledgeVote(knowledgeId, EvaluatingNode ?? string.Empty, kind, Confidence, Reason, stamp);
        vote.Validate();
        return vote;
    }
}
