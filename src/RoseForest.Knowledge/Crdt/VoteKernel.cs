using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>The vote-map rules shared by <see cref="VoteMap"/> and the record store.</summary>
internal static class VoteKernel
{
    public static IReadOnlyList<SignedVote> Latest(DotKernel<string, SignedVote> kernel)
    {
        var latest = new List<SignedVote>();
        foreach (var voter in kernel.Keys.Order(StringComparer.Ordinal))
        {
            kernel.TryGetWinner(voter, out var winner);
            latest.Add(winner.Value);
        }

        return latest;
    }

    /// <summary>Fills a delta for a cast; false when a held vote of the voter is as late or later.</summary>
    public static bool TryPrepareCast(
        DotKernel<string, SignedVote> state,
        SignedVote vote,
        Dot dot,
        DotKernel<string, SignedVote> deltaKernel,
        DotContext deltaContext)
    {
        vote.Vote.Validate();
        var voter = vote.Vote.Voter;
        if (state.TryGetWinner(voter, out var held) && held.Stamp >= vote.Vote.Stamp)
        {
            return false;
        }

        foreach (var observed in state.DotsOf(voter))
        {
            deltaContext.Add(observed);
        }

        deltaKernel.Add(new KernelEntry<string, SignedVote>(dot, voter, vote, vote.Vote.Stamp));
        deltaContext.Add(dot);
        return true;
    }

    public static void WriteVote(CanonicalWriter w, SignedVote vote)
    {
        w.WriteRaw(KnowledgeCanonicalForm.Vote(vote.Vote));
        w.WriteString(vote.Signature);
    }
}
