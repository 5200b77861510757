using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// One node's vote on one package, stamped with the voter's own HLC reading so that "the latest
/// vote of a voter" is decided by the voter's clock wherever the vote travels.
/// </summary>
/// <param name="KnowledgeId">The package voted on.</param>
/// <param name="Voter">The voting node; must be the node of <paramref name="Stamp"/>.</param>
/// <param name="Kind">Upvote or downvote.</param>
/// <param name="Confidence">How sure the voter is, in [0, 1]; scales the vote's weight.</param>
/// <param name="Reason">Why, optional.</param>
/// <param name="Stamp">The voter's HLC reading when it voted.</param>
public sealed record KnowledgeVote(string KnowledgeId, string Voter, VoteKind Kind, double Confidence, string? Reason, HlcTimestamp Stamp)
{
    /// <summary>Throws <see cref="KnowledgeValidationException"/> when a field breaks a rule.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(KnowledgeId))
        {
            throw new KnowledgeValidationException("knowledge_id", "is required and must not be blank");
        }

        if (string.IsNullOrWhiteSpace(Voter))
        {
            throw new KnowledgeValidationException("evaluating_node", "is required and must not be blank");
        }

        if (Kind is not (VoteKind.Upvote or VoteKind.Downvote))
        {
            throw new KnowledgeValidationException("vote", "must be upvote or downvote");
        }

        KnowledgeValidator.CheckUnit(Confidence, "confidence");
        if (!string.Equals(Stamp.Node, Voter, StringComparison.Ordinal))
        {
            throw new KnowledgeValidationException("stamp", "must be a reading of the voter's own clock");
        }
    }
}
