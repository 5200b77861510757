using System.Text.Json.Nodes;
using RoseForest.Communication.Client;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Tests;

public class ClientTests
{
    [Fact]
    public async Task The_typed_client_sends_receives_acks_and_gets_refusals_typed()
    {
        // A fake clock: the rate limit must not refill while a loaded machine runs the test.
        await using var server = await CommServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        using var admin = new CommunicationClient(server.Server.BaseAddress, CommServer.AdminKey);
        var (_, aliceKey) = await admin.RegisterAsync(Fixtures.Contract("alice", "team", vectorsPerSecond: 2, maxMessage: 200));
        var (_, bobKey) = await admin.RegisterAsync(Fixtures.Contract("bob", "team"));
        await admin.RegisterAsync(Fixtures.Contract("eve", "other"));
        using var alice = new CommunicationClient(server.Server.BaseAddress, aliceKey);
        using var bob = new CommunicationClient(server.Server.BaseAddress, bobKey);

        var sent = await alice.SendAsync("bob", new OutgoingMessage { Text = "status report due friday", IdempotencyKey = "r1" });
        Assert.True((await alice.SendAsync("bob", new OutgoingMessage { Text = "status report due friday", IdempotencyKey = "r1" })).Duplicate);
        var hit = Assert.Single(await bob.SearchMessagesAsync("bob", "status report"));
        Assert.Equal(sent.Id, hit.Message.Id);
        var got = Assert.Single(await bob.ReceiveAsync("bob", 5));
        Assert.Equal(AckOutcome.Acked, (await bob.AckAsync("bob", [got.Id]))[got.Id]);
        Assert.Equal(AckOutcome.AlreadyAcked, (await bob.AckAsync("bob", [got.Id]))[got.Id]);

        await Assert.ThrowsAsync<RateLimitedException>(() => alice.SendAsync("bob", new OutgoingMessage { Text = "too fast" }));
        using var metricsClient = server.Client(CommServer.AdminKey);
        var metrics = await metricsClient.GetStringAsync("/metrics");
        Assert.Contains("roseforest_hvs_rate_limited", metrics, StringComparison.Ordinal);
        Assert.Contains("model=\"alice\"", metrics, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => alice.SendAsync("bob", new OutgoingMessage { Body = System.Text.Json.JsonSerializer.SerializeToElement(new string('x', 500)) }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.SendAsync("eve", new OutgoingMessage { Body = System.Text.Json.JsonSerializer.SerializeToElement(1) }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.ReceiveAsync("bob"));
        await Assert.ThrowsAsync<NotFoundException>(() => alice.SendAsync("nobody", new OutgoingMessage()));
        var bad = Fixtures.Contract("zed", "team");
        ((JsonObject)bad["hvs_binding"]!)["dimension"] = 0;
        Assert.Equal("hvs_binding.dimension", (await Assert.ThrowsAsync<ValidationException>(() => admin.RegisterAsync(bad))).Field);
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.RegisterAsync(Fixtures.Contract("zed", "team")));
    }

    [Fact]
    public async Task The_typed_client_covers_namespaces_rebuilds_states_spines_spaces_and_cancels()
    {
        await using var server = await CommServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        using var admin = new CommunicationClient(server.Server.BaseAddress, CommServer.AdminKey);
        var (_, aliceKey) = await admin.RegisterAsync(Fixtures.Contract("alice", "ns-a", geometry: "euclidean", dimension: 2));
        var (_, bobKey) = await admin.RegisterAsync(Fixtures.Contract("bob", "ns-b", geometry: "euclidean", dimension: 2));
        var (_, carolKey) = await admin.RegisterAsync(Fixtures.Contract("carol", "ns-a", geometry: "euclidean", dimension: 2));
        using var alice = new CommunicationClient(server.Server.BaseAddress, aliceKey);
        using var bob = new CommunicationClient(server.Server.BaseAddress, bobKey);
        using var carol = new CommunicationClient(server.Server.BaseAddress, carolKey);

        // Rebuild and verify: deterministic ids, zero mismatches.
        Assert.Equal(2, await alice.RebuildAsync("ns-a", ["alpha notes", "beta notes"]));
        Assert.Equal(1, await bob.RebuildAsync("ns-b", ["gamma notes"]));
        var report = await alice.VerifyRebuildAsync("ns-a", ["alpha notes", "beta notes"]);
        Assert.Equal((2, 0, 0, 0), (report.Matched, report.Mismatched, report.Missing, report.Extra));

        // The cross-namespace query follows grants and policies.
        var gamma = (await new Embeddings.Hashing.HashingEmbeddingGenerator(64).GenerateAsync(["gamma notes"]))[0].Vector.ToArray();
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.QueryCrossNamespaceAsync(["ns-a", "ns-b"], "documents", gamma, 3));
        await bob.GrantAsync("ns-b", "alice", ["read"]);
        Assert.Equal("ns-b", (await alice.QueryCrossNamespaceAsync(["ns-a", "ns-b"], "documents", gamma, 3))[0].Namespace);
        await bob.SetPolicyAsync("ns-b", peers: new Dictionary<string, string?> { ["ns-a"] = "strict" });
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.QueryCrossNamespaceAsync(["ns-b"], "documents", gamma, 3));
        await bob.SetPolicyAsync("ns-b", peers: new Dictionary<string, string?> { ["ns-a"] = null });
        await bob.RevokeAsync("ns-b", "alice", ["read"]);
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.QueryCrossNamespaceAsync(["ns-b"], "documents", gamma, 3));

        // States: validated updates, subscribers notified through their mailboxes, similarity search.
        await alice.RegisterStateAsync("alice", JsonNode.Parse("""{"type":"object","properties":{"goal":{"type":"string"}},"required":["goal"]}""")!);
        await carol.SubscribeStateAsync("alice");
        Assert.Equal(1, (await alice.UpdateStateAsync("alice", new JsonObject { ["goal"] = "ship the release" }))!["version"]!.GetValue<int>());
        await Assert.ThrowsAsync<ValidationException>(() => alice.UpdateStateAsync("alice", new JsonObject { ["goal"] = 5 }));
        Assert.Equal("ship the release", (await carol.GetStateAsync("alice"))!["state"]!["goal"]!.GetValue<string>());
        Assert.NotEmpty(await carol.ReceiveAsync("carol"));
        Assert.Equal("alice", (await alice.FindSimilarStatesAsync(new JsonObject { ["goal"] = "ship the release" }))[0]["model"]!.GetValue<string>());

        // Spaces and the spine: a damaged file is refused, the whole one restores.
        await alice.CreateSpaceAsync("ns-a", "s", "euclid", 2);
        await alice.JoinSpaceAsync("ns-a", "s", ["reasoning"]);
        await alice.ContributeAsync("ns-a", "s", "k1", [0.1f, 0.2f]);
        Assert.Single(await carol.QuerySharedAsync("ns-a", "s", [0.1f, 0.2f], 1));
        var spine = await alice.ExportSpineAsync("alice");
        var damaged = (byte[])spine.Clone();
        damaged[^1] ^= 0xFF;
        await Assert.ThrowsAsync<ValidationException>(() => alice.ImportSpineAsync(damaged));
        Assert.True(await alice.ImportSpineAsync(spine) >= 1);

        // A sender withdraws its unacknowledged message; the recipient cannot; an acked one stays acked.
        var sent = await carol.SendAsync("alice", new OutgoingMessage { Text = "scratch that" });
        Assert.Equal(MessageStatus.Waiting, await alice.MessageStatusAsync("alice", sent.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.CancelMessageAsync("alice", sent.Id));
        Assert.Equal(MessageStatus.Canceled, await carol.CancelMessageAsync("alice", sent.Id));
        Assert.Empty(await alice.ReceiveAsync("alice"));
        var kept = await carol.SendAsync("alice", new OutgoingMessage { Text = "keep this" });
        Assert.Single(await alice.ReceiveAsync("alice"));
        await alice.AckAsync("alice", [kept.Id]);
        await Assert.ThrowsAsync<ConflictException>(() => carol.CancelMessageAsync("alice", kept.Id));
        Assert.Equal(MessageStatus.Acked, await carol.MessageStatusAsync("alice", kept.Id));
    }
}
