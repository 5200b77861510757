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
}
