using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Trust;

/// <summary>
/// Computes a package's trust score: a Bayesian average of its votes, each weighted by the voter's
/// standing, with the weight of not-yet-mature voters capped so that a swarm of new nodes cannot
/// outvote established ones. With votes v (x_v = 1 for up, 0 for down, c_v the vote's confidence):
/// <code>
/// m_v = clamp((now − registered_v) / T, 0, 1)          maturity
/// r_v = (1 + g_v) / (2 + g_v + b_v)                    reputation (Laplace-smoothed track record)
/// s_v = m_v · r_v  ∈ [0, 1)                            standing
/// w_v = s_v · c_v                                      vote weight
/// immature voters (m_v &lt; 1): if Σ w_v &gt; C, each of their w_v is scaled by C / Σ w_v
/// score = (P · μ + Σ w_v · x_v) / (P + Σ w_v)  ∈ [0, 1]
/// </code>
/// Votes of unregistered nodes carry no weight and are not counted. The clock is injected.
/// </summary>
public sealed class TrustScorer
{
    private readonly TrustScoreOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a scorer with the given constants and clock.</summary>
    public TrustScorer(TrustScoreOptions options, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _time = time;
    }

    /// <summary>The standing of a node now, in [0, 1).</summary>
    public double Standing(VoterProfile profile) => Maturity(profile) * Reputation(profile);

    /// <summary>Scores a package from each voter's latest vote; <paramref name="registry"/> returns null for unregistered nodes.</summary>
    public TrustScore Score(IEnumerable<KnowledgeVote> latestVotes, Func<string, VoterProfile?> registry)
    {
        double establishedWeight = 0, establishedUp = 0, newcomerWeight = 0, newcomerUp = 0;
        int upvotes = 0, downvotes = 0;
        foreach (var vote in latestVotes)
        {
            if (registry(vote.Voter) is not { } profile)
            {
                continue;
            }

            var up = vote.Kind == VoteKind.Upvote;
            if (up)
            {
                upvotes++;
            }
            else
            {
                downvotes++;
            }

            var maturity = Maturity(profile);
            var weight = maturity * Reputation(profile) * vote.Confidence;
            if (maturity >= 1)
            {
                establishedWeight += weight;
                establishedUp += up ? weight : 0;
            }
            else
            {
                newcomerWeight += weight;
                newcomerUp += up ? weight : 0;
            }
        }

        if (newcomerWeight > _options.NewcomerWeightCap)
        {
            var scale = _options.NewcomerWeightCap / newcomerWeight;
            newcomerWeight = _options.NewcomerWeightCap;
            newcomerUp *= scale;
        }

        var p = _options.PriorStrength;
        var score = ((p * _options.PriorMean) + establishedUp + newcomerUp) / (p + establishedWeight + newcomerWeight);
        return new TrustScore(Math.Clamp(score, 0, 1), new VoteCounts { Upvotes = upvotes, Downvotes = downvotes }, establishedWeight, newcomerWeight);
    }

    private double Maturity(VoterProfile profile)
    {
        var age = _time.GetUtcNow() - profile.RegisteredAt;
        return Math.Clamp(age / _options.MaturityPeriod, 0, 1);
    }

    private static double Reputation(VoterProfile profile)
    {
        double good = Math.Max(0, profile.GoodContributions), bad = Math.Max(0, profile.BadContributions);
        return (1 + good) / (2 + good + bad);
    }
}
