using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Conflicts;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Tests;

public sealed class KnowledgeBookTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _timeA = new(Start);
    private readonly FakeTimeProvider _timeB = new(Start);
    private readonly KnowledgeSigner _voterKey = KnowledgeSigner.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly KnowledgeBook _a;
    private readonly KnowledgeBook _b;

    public KnowledgeBookTests()
    {
        VoterProfile? Registry(string id) => id == "voter" ? new VoterProfile("voter", _voterKey.PublicKeyHex, Start - TimeSpan.FromDays(60)) : null;
        _a = new KnowledgeBook(new Replica("server-a", _timeA), new TrustScorer(new TrustScoreOptions(), _timeA), Registry);
        _b = new KnowledgeBook(new Replica("server-b", _timeB), new TrustScorer(new TrustScoreOptions(), _timeB), Registry);
    }

    public void Dispose() => _voterKey.Dispose();

    private void Sync()
    {
        var a = _a.Replica.State.Clone();
        _a.Replica.Merge(_b.Replica.State.Clone());
        _b.Replica.Merge(a);
    }

    [Fact]
    public void Publishing_fills_ids_and_republishing_the_same_version_changes_nothing()
    {
        var first = _a.Publish(Samples.Package());
        var feed = _a.Replica.Changes.LastSequence;
        var again = _a.Publish(Samples.Package());
        Assert.Equal("7b7f6f722ac9bd53", first.KnowledgeId);
        Assert.Equal(first.VersionId, again.VersionId);
        Assert.Null(again.Conflicts);
        Assert.Equal(feed, _a.Replica.Changes.LastSequence);
    }

    [Fact]
    public void An_author_supersedes_its_own_version()
    {
        var first = _a.Publish(Samples.Package() with { KnowledgeId = "k" });
        _timeA.Advance(TimeSpan.FromSeconds(1));
        var second = _a.Publish(Samples.Package("revised") with { KnowledgeId = "k" });
        Assert.Null(second.Conflicts);
        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Single(_a.Versions("k"));
        Assert.Equal("revised", _a.Get("k")!.Content!.Text);
    }

    [Fact]
    public void Another_author_on_the_same_replica_is_reported_as_a_conflict()
    {
        var first = _a.Publish(Samples.Package("claim", author: "alice") with { KnowledgeId = "k" });
        var second = _a.Publish(Samples.Package("counter-claim", author: "bob") with { KnowledgeId = "k" });
        Assert.Equal([first.VersionId], second.Conflicts!);
        Assert.True(ConflictDetector.IsInConflict(_a.Versions("k")));
    }

    [Fact]
    public void Concurrent_versions_from_two_nodes_are_listed_as_conflicts_after_sync_and_accept_settles_them()
    {
        var va = _a.Publish(Samples.Package("A's view", author: "alice") with { KnowledgeId = "k" });
        _timeB.Advance(TimeSpan.FromMilliseconds(1));
        var vb = _b.Publish(Samples.Package("B's view", author: "alice") with { KnowledgeId = "k" });
        Sync();
        Assert.Equal(2, _a.Versions("k").Count);
        Assert.Equal("B's view", _a.Get("k")!.Content!.Text); // largest stamp is read
        Assert.Equal([va.VersionId], _a.Publish(Samples.Package("B's view", author: "alice") with { KnowledgeId = "k" }).Conflicts!);

        _a.Resolve("k", new ConflictResolution { ResolvingNode = "alice", ResolutionType = "accept", VersionId = va.VersionId });
        Sync();
        Assert.Equal(va.VersionId, Assert.Single(_b.Versions("k")).VersionId);
        Assert.Equal(vb.KnowledgeId, va.KnowledgeId);
    }

    [Fact]
    public void Reject_removes_only_the_named_version()
    {
        _a.Publish(Samples.Package("one", author: "alice") with { KnowledgeId = "k" });
        var two = _a.Publish(Samples.Package("two", author: "bob") with { KnowledgeId = "k" });
        var three = _a.Publish(Samples.Package("three", author: "carol") with { KnowledgeId = "k" });
        var plan = _a.Resolve("k", new ConflictResolution { ResolvingNode = "moderator", ResolutionType = "reject", VersionId = two.VersionId });
        Assert.Equal([two.VersionId], plan.RemovedVersionIds);
        Assert.Equal(2, _a.Versions("k").Count);
        Assert.DoesNotContain(_a.Versions("k"), v => v.VersionId == two.VersionId);
        Assert.Contains(_a.Versions("k"), v => v.VersionId == three.VersionId);
    }

    [Fact]
    public void Merge_writes_one_version_with_the_merged_content_over_all()
    {
        _a.Publish(Samples.Package("one", author: "alice") with { KnowledgeId = "k" });
        _a.Publish(Samples.Package("two", author: "bob") with { KnowledgeId = "k" });
        using var merged = JsonDocument.Parse("\"one and two\"");
        var plan = _a.Resolve("k", new ConflictResolution { ResolvingNode = "moderator", ResolutionType = "merge", MergedContent = merged.RootElement.Clone() });
        var only = Assert.Single(_a.Versions("k"));
        Assert.Equal("one and two", only.Package.Content!.Text);
        Assert.Equal("moderator", only.Author);
        Assert.Equal(plan.NewVersion!.VersionId, only.VersionId);
        Assert.Equal("k", only.Package.KnowledgeId);
    }

    [Theory]
    [InlineData(null, "reject", "version_id")]
    [InlineData("missing", "accept", "version_id")]
    [InlineData(null, "merge", "merged_content")]
    [InlineData(null, "shrug", "resolution_type")]
    public void Bad_resolutions_are_refused_naming_the_field(string? versionId, string type, string field)
    {
        _a.Publish(Samples.Package("one", author: "alice") with { KnowledgeId = "k" });
        _a.Publish(Samples.Package("two", author: "bob") with { KnowledgeId = "k" });
        var e = Assert.Throws<KnowledgeValidationException>(() =>
            _a.Resolve("k", new ConflictResolution { ResolvingNode = "m", ResolutionType = type, VersionId = versionId }));
        Assert.Equal(field, e.Field);
        Assert.Equal(2, _a.Versions("k").Count);
    }

    [Fact]
    public void Resolving_without_a_conflict_is_refused()
    {
        _a.Publish(Samples.Package() with { KnowledgeId = "k" });
        var e = Assert.Throws<KnowledgeValidationException>(() =>
            _a.Resolve("k", new ConflictResolution { ResolvingNode = "m", ResolutionType = "accept" }));
        Assert.Equal("knowledge_id", e.Field);
    }

    [Fact]
    public void A_second_vote_by_the_same_node_replaces_the_first_and_the_score_follows()
    {
        _a.Publish(Samples.Package() with { KnowledgeId = "k" });
        var clock = new HybridLogicalClock("voter", new FakeTimeProvider(Start));
        var up = _a.Evaluate("k", _voterKey.SignVote(new KnowledgeVote("k", "voter", VoteKind.Upvote, 1, "good", clock.Now())));
        var down = _a.Evaluate("k", _voterKey.SignVote(new KnowledgeVote("k", "voter", VoteKind.Downvote, 1, "changed my mind", clock.Now())));
        Assert.Equal(1, up.Votes.Upvotes);
        Assert.True(up.NewScore > 0.5);
        Assert.Equal(0, down.Votes.Upvotes);
        Assert.Equal(1, down.Votes.Downvotes);
        Assert.True(down.NewScore < 0.5);
        Assert.Equal(down.NewScore, _a.Get("k")!.Trust!.Score);
    }

    [Fact]
    public void Votes_with_a_bad_signature_or_from_unregistered_nodes_are_refused()
    {
        _a.Publish(Samples.Package() with { KnowledgeId = "k" });
        var stamp = new HlcTimestamp(1, 0, "voter");
        var signed = _voterKey.SignVote(new KnowledgeVote("k", "voter", VoteKind.Upvote, 1, null, stamp));
        var forged = signed with { Vote = signed.Vote with { Kind = VoteKind.Downvote } };
        Assert.Equal("signature", Assert.Throws<KnowledgeValidationException>(() => _a.Evaluate("k", forged)).Field);
        using var stranger = KnowledgeSigner.Generate();
        var unregistered = stranger.SignVote(new KnowledgeVote("k", "stranger", VoteKind.Upvote, 1, null, new HlcTimestamp(1, 0, "stranger")));
        Assert.Equal("evaluating_node", Assert.Throws<KnowledgeValidationException>(() => _a.Evaluate("k", unregistered)).Field);
        Assert.Empty(_a.Replica.State.Votes("k"));
    }

    [Fact]
    public void Tags_from_metadata_join_the_records_tag_set()
    {
        _a.Publish(Samples.Full());
        Assert.Equal(["light", "waves"], _a.Tags("kb-0001"));
        _a.Replica.RemoveTag("kb-0001", "waves");
        Assert.Equal(["light"], _a.Tags("kb-0001"));
        Assert.Equal(["light", "waves"], _a.Get("kb-0001")!.Metadata!.Tags!); // the signed package is untouched
    }

    [Fact]
    public void A_signed_package_keeps_a_verifiable_signature_through_publish_and_get()
    {
        using var author = KnowledgeSigner.FromSeed(new byte[32]);
        var signed = author.SignPackage(Samples.Full());
        _a.Publish(signed);
        _a.Replica.AddTag("kb-0001", "extra");
        Assert.True(KnowledgeSigner.VerifyPackage(_a.Get("kb-0001")!, author.PublicKeyHex));
    }
}
