using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Communication.Access;
using RoseForest.Communication.Spine;

namespace RoseForest.Communication.Tests;

public class SpaceTests
{
    [Fact]
    public async Task Consensus_in_euclidean_space_is_the_contributor_weighted_average_with_its_dispersion()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "lab", geometry: "euclidean", dimension: 2));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "lab", geometry: "euclidean", dimension: 2));
        await hub.CreateSpaceAsync(Caller.Model("alice"), "lab", "ideas", Geometry.Euclid, 2);
        await hub.JoinSpaceAsync(Caller.Model("alice"), "lab", "ideas", ["reasoning"]);
        await hub.JoinSpaceAsync(Caller.Model("bob"), "lab", "ideas", ["search"]);
        // alice contributes twice, bob once: each contributor weighs the same in total.
        await hub.ContributeAsync(Caller.Model("alice"), "lab", "ideas", "a1", [0f, 0f], null);
        await hub.ContributeAsync(Caller.Model("alice"), "lab", "ideas", "a2", [2f, 0f], null);
        await hub.ContributeAsync(Caller.Model("bob"), "lab", "ideas", "b1", [4f, 4f], null);
        var c = await hub.ConsensusAsync(Caller.Model("bob"), "lab", "ideas", null);
        // alice's two at weight 1/2 each, bob's at 1: mean = (0.5*0 + 0.5*2 + 1*4, 1*4) / 2 = (2.5, 2).
        Assert.Equal(2.5, c.Mean[0], 9);
        Assert.Equal(2.0, c.Mean[1], 9);
        var expected = ((0.5 * ((2.5 * 2.5) + 4)) + (0.5 * ((0.5 * 0.5) + 4)) + ((1.5 * 1.5) + 4)) / 2;
        Assert.Equal(expected, c.Dispersion, 9);
        Assert.Equal(2, c.Contributors);
        // A new contribution under the same key is version 2.
        var v2 = await hub.ContributeAsync(Caller.Model("bob"), "lab", "ideas", "b1", [4f, 2f], null);
        Assert.Equal(2, v2.Version);
        Assert.Equal("bob", v2.Model);
    }

    [Fact]
    public async Task Consensus_in_the_poincare_ball_stays_in_the_ball_and_is_symmetric()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "lab", dimension: 2));
        await hub.CreateSpaceAsync(Caller.Model("alice"), "lab", "tree", Geometry.Poincare, 2);
        await hub.JoinSpaceAsync(Caller.Model("alice"), "lab", "tree", []);
        await hub.ContributeAsync(Caller.Model("alice"), "lab", "tree", "l", [-0.6f, 0.3f], null);
        await hub.ContributeAsync(Caller.Model("alice"), "lab", "tree", "r", [0.6f, 0.3f], null);
        var c = await hub.ConsensusAsync(Caller.Model("alice"), "lab", "tree", null);
        Assert.Equal(0, c.Mean[0], 9);
        Assert.True(c.Mean[1] > 0 && c.Mean[1] < 0.3, $"the hyperbolic midpoint bends toward the origin, got {c.Mean[1]}");
        Assert.True(c.Converged);
    }

    [Fact]
    public async Task A_spine_round_trips_and_a_damaged_one_is_refused()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "lab", geometry: "euclidean", dimension: 2));
        await hub.CreateSpaceAsync(Caller.Admin, "lab", "s", Geometry.Euclid, 2);
        await hub.JoinSpaceAsync(Caller.Model("alice"), "lab", "s", []);
        await hub.ContributeAsync(Caller.Model("alice"), "lab", "s", "k", [1f, 2f], null);
        await hub.RegisterStateAsync(Caller.Model("alice"), "alice", JsonNode.Parse("""{"type":"object","properties":{"goal":{"type":"string"}},"required":["goal"]}"""));
        await hub.UpdateStateAsync(Caller.Model("alice"), "alice", JsonNode.Parse("""{"goal":"summarize papers"}"""));
        var file = await hub.ExportSpineAsync(Caller.Model("alice"), "alice");
        Assert.Equal(1, await hub.ImportSpineAsync(Caller.Model("alice"), file));
        var restored = hub.GetState(Caller.Model("alice"), "alice");
        Assert.Equal(2, restored.Version);
        Assert.Equal("summarize papers", restored.State!["goal"]!.GetValue<string>());
        var damaged = (byte[])file.Clone();
        damaged[30] ^= 1;
        Assert.Equal("spine", Assert.Throws<ValidationException>(() => SpineFile.Read(damaged)).Field);
        await Assert.ThrowsAsync<ValidationException>(() => hub.ImportSpineAsync(Caller.Model("alice"), file[..^5]));
    }

    [Fact]
    public async Task Rebuilding_the_same_documents_verifies_with_no_mismatch()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "lab"));
        var docs = Enumerable.Range(0, 50).Select(i => new SourceDocument($"document number {i} about topic {i % 7}")).ToList();
        await hub.RebuildFromDocumentsAsync(Caller.Model("alice"), "lab", "docs", docs);
        await hub.RebuildFromDocumentsAsync(Caller.Model("alice"), "lab", "docs", docs);
        var report = await hub.VerifyRebuildAsync(Caller.Model("alice"), "lab", "docs", docs);
        Assert.Equal(new RebuildReport(50, 50, 0, 0, 0), report);
        var fewer = await hub.VerifyRebuildAsync(Caller.Model("alice"), "lab", "docs", [.. docs.Take(40), new SourceDocument("never rebuilt")]);
        Assert.Equal(new RebuildReport(50, 40, 0, 1, 10), fewer);
        Assert.Equal(hub.DocumentId("same text"), hub.DocumentId("same text"));
    }

    [Fact]
    public async Task A_state_update_is_validated_versioned_and_notifies_subscribers()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "lab"));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "lab"));
        await hub.RegisterStateAsync(Caller.Model("alice"), "alice", JsonNode.Parse("""{"type":"object","properties":{"goal":{"type":"string"}},"required":["goal"]}"""));
        await hub.SubscribeStateAsync(Caller.Model("bob"), "alice");
        Assert.StartsWith("state", Assert.Throws<ValidationException>(() => hub.UpdateStateAsync(Caller.Model("alice"), "alice", JsonNode.Parse("""{"goal":5}""")).GetAwaiter().GetResult()).Field, StringComparison.Ordinal);
        var s = await hub.UpdateStateAsync(Caller.Model("alice"), "alice", JsonNode.Parse("""{"goal":"write the quarterly budget"}"""));
        Assert.Equal(1, s.Version);
        var note = Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        Assert.Equal("state_updated", note.Body!.Value.GetProperty("type").GetString());
        var similar = await hub.FindSimilarStatesAsync(Caller.Model("bob"), JsonNode.Parse("""{"goal":"quarterly budget"}"""), 1);
        Assert.Equal("alice", Assert.Single(similar).State.Model);
    }
}
