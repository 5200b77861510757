using CsCheck;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Tests;

public sealed class TrustScoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static TrustScorer Scorer(TrustScoreOptions? options = null) => new(options ?? new TrustScoreOptions(), new FakeTimeProvider(Now));

    private static KnowledgeVote Vote(string voter, VoteKind kind, double confidence = 1)
        => new("k", voter, kind, confidence, null, new HlcTimestamp(1, 0, voter));

    private static Func<string, VoterProfile?> Registry(IReadOnlyDictionary<string, TimeSpan> ages)
        => id => ages.TryGetValue(id, out var age) ? new VoterProfile(id, new string('0', 64), Now - age) : null;

    [Fact]
    public void Without_votes_the_score_is_the_prior_mean()
    {
        var score = Scorer().Score([], _ => null);
        Assert.Equal(0.5, score.Score);
        Assert.Equal(0, score.Votes.Upvotes + score.Votes.Downvotes);
    }

    [Fact]
    public void Established_upvotes_raise_and_downvotes_lower_the_score()
    {
        var ages = new Dictionary<string, TimeSpan> { ["e1"] = TimeSpan.FromDays(90), ["e2"] = TimeSpan.FromDays(90) };
        var up = Scorer().Score([Vote("e1", VoteKind.Upvote), Vote("e2", VoteKind.Upvote)], Registry(ages));
        var down = Scorer().Score([Vote("e1", VoteKind.Downvote), Vote("e2", VoteKind.Downvote)], Registry(ages));

        // Two established nodes with no track record: standing 0.5 each, so (2·0.5 + 1) / (2 + 1) = 2/3.
        Assert.Equal(2.0 / 3, up.Score, 12);
        Assert.Equal(1.0 / 3, down.Score, 12);
        Assert.Equal(2, up.Votes.Upvotes);
        Assert.Equal(2, down.Votes.Downvotes);
    }

    [Fact]
    public void A_track_record_raises_standing_and_a_young_node_has_little()
    {
        var scorer = Scorer();
        var old = new VoterProfile("o", "", Now - TimeSpan.FromDays(60), GoodContributions: 8, BadContributions: 0);
        var young = new VoterProfile("y", "", Now - TimeSpan.FromDays(3));
        Assert.Equal(0.9, scorer.Standing(old), 12);
        Assert.Equal(0.1 * 0.5, scorer.Standing(young), 12);
    }

    [Fact]
    public void Unregistered_voters_carry_no_weight_and_are_not_counted()
    {
        var score = Scorer().Score([Vote("ghost", VoteKind.Downvote)], _ => null);
        Assert.Equal(0.5, score.Score);
        Assert.Equal(0, score.Votes.Downvotes);
    }

    [Fact]
    public void Ten_thousand_new_nodes_cannot_outvote_three_established_ones()
    {
        var ages = new Dictionary<string, TimeSpan>();
        var votes = new List<KnowledgeVote>();
        for (var i = 0; i < 3; i++)
        {
            ages[$"e{i}"] = TimeSpan.FromDays(365);
            votes.Add(Vote($"e{i}", VoteKind.Upvote));
        }

        for (var i = 0; i < 10_000; i++)
        {
            ages[$"s{i}"] = TimeSpan.FromDays(1);
            votes.Add(Vote($"s{i}", VoteKind.Downvote));
        }

        var score = Scorer().Score(votes, Registry(ages));
        Assert.True(score.Score > 0.5, $"score {score.Score}");
        Assert.Equal(1.0, score.NewcomerWeight, 12);

        // Without the cap the same swarm wins: the cap is what holds.
        var uncapped = Scorer(new TrustScoreOptions { NewcomerWeightCap = double.MaxValue }).Score(votes, Registry(ages));
        Assert.True(uncapped.Score < 0.1, $"uncapped score {uncapped.Score}");
    }

    [Fact]
    public void No_swarm_moves_the_score_beyond_the_newcomer_bound()
    {
        // For any swarm, |score − score without it| ≤ C / (P + W_established + C) with the defaults C = 1, P = 2.
        var gen = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2000], Gen.Int[0, 29], Gen.Bool);
        FixedSeed.ForAll(gen, 300, 7, t =>
        {
            var (established, swarm, days, swarmUp) = t;
            var ages = new Dictionary<string, TimeSpan>();
            var votes = new List<KnowledgeVote>();
            for (var i = 0; i < established; i++)
            {
                ages[$"e{i}"] = TimeSpan.FromDays(31 + i);
                votes.Add(Vote($"e{i}", i % 2 == 0 ? VoteKind.Upvote : VoteKind.Downvote, 0.5 + (i * 0.1)));
            }

            var without = Scorer().Score(votes, Registry(ages));
            for (var i = 0; i < swarm; i++)
            {
                ages[$"s{i}"] = TimeSpan.FromDays(days);
                votes.Add(Vote($"s{i}", swarmUp ? VoteKind.Upvote : VoteKind.Downvote));
            }

            var with = Scorer().Score(votes, Registry(ages));
            Assert.InRange(with.Score, 0, 1);
            Assert.True(Math.Abs(with.Score - without.Score) <= (1.0 / (2 + without.EstablishedWeight + 1)) + 1e-12);
        });
    }

    [Fact]
    public void Standing_grows_with_age_as_the_injected_clock_moves()
    {
        var time = new FakeTimeProvider(Now);
        var scorer = new TrustScorer(new TrustScoreOptions(), time);
        var profile = new VoterProfile("n", "", Now);
        Assert.Equal(0, scorer.Standing(profile));
        time.Advance(TimeSpan.FromDays(15));
        Assert.Equal(0.25, scorer.Standing(profile), 12);
        time.Advance(TimeSpan.FromDays(100));
        Assert.Equal(0.5, scorer.Standing(profile), 12);
    }
}
