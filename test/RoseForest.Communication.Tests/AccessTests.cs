using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Communication.Access;
using RoseForest.Communication.Limits;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Tests;

public class AccessTests
{
    [Fact]
    public async Task Isolation_policies_grants_and_visibility_decide_cross_namespace_access()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "ns-a", write: ["ns-a", "ns-b"]));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "ns-b", read: ["ns-b"]));
        var alice = Caller.Model("alice");
        var bob = Caller.Model("bob");

        // ns-b is private with the default shared policy: alice (asks for "*") may not read without a grant.
        Assert.False(hub.May(alice, "ns-b", Rights.Read));
        await Assert.ThrowsAsync<AccessDeniedException>(() => hub.GrantAsync(alice, "ns-b", "alice", Rights.Read));
        await hub.GrantAsync(bob, "ns-b", "alice", Rights.Read | Rights.Write);
        Assert.True(hub.May(alice, "ns-b", Rights.Read));
        // Shared policy caps cross-namespace access at reads, grant notwithstanding.
        Assert.False(hub.May(alice, "ns-b", Rights.Write));
        await hub.SetPolicyAsync(bob, "ns-b", null, IsolationPolicy.Federated, null);
        Assert.True(hub.May(alice, "ns-b", Rights.Write));
        // A per-namespace override to strict shuts alice's home out entirely.
        await hub.SetPolicyAsync(bob, "ns-b", null, null, new Dictionary<string, IsolationPolicy?> { ["ns-a"] = IsolationPolicy.Strict });
        Assert.False(hub.May(alice, "ns-b", Rights.Read));
        await Assert.ThrowsAsync<AccessDeniedException>(() => hub.SendAsync(alice, "bob", new OutgoingMessage { Text = "hi" }));
        // Revoking removes; bob's contract does not ask for ns-a, so a shared ns-a stays closed to him, a public one opens.
        await hub.SetPolicyAsync(bob, "ns-b", null, null, new Dictionary<string, IsolationPolicy?> { ["ns-a"] = null });
        await hub.RevokeAsync(bob, "ns-b", "alice", Rights.Write);
        Assert.True(hub.May(alice, "ns-b", Rights.Read));
        Assert.False(hub.May(alice, "ns-b", Rights.Write));
        await hub.SetPolicyAsync(alice, "ns-a", Visibility.Shared, null, null);
        Assert.False(hub.May(bob, "ns-a", Rights.Read));
        await hub.SetPolicyAsync(alice, "ns-a", Visibility.Public, null, null);
        Assert.True(hub.May(bob, "ns-a", Rights.Read));
        // Other models' mailboxes are theirs alone.
        await Assert.ThrowsAsync<AccessDeniedException>(() => hub.ReceiveAsync(alice, "bob", 1));
        await Assert.ThrowsAsync<AccessDeniedException>(() => hub.AckAsync(alice, "bob", [Guid.NewGuid()]));
        Assert.Throws<AccessDeniedException>(() => hub.DemandCollection(bob, "ns-a__docs", write: true));
        Assert.Throws<AccessDeniedException>(() => hub.DemandCollection(bob, "_hvs_registry", write: false));
        await Assert.ThrowsAsync<AccessDeniedException>(() => hub.RegisterAsync(alice, Fixtures.Contract("eve", "ns-a")));
    }

    [Fact]
    public void A_model_sending_at_three_times_its_limit_is_admitted_at_the_limit()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(50, time);
        var admitted = 0;
        var refused = 0;
        const int seconds = 200;
        // 150 requests a second, evenly spaced, for 200 simulated seconds.
        for (var i = 0; i < seconds * 150; i++)
        {
            if (bucket.TryTake(1, out var retry))
            {
                admitted++;
            }
            else
            {
                refused++;
                Assert.True(retry > TimeSpan.Zero);
            }

            time.Advance(TimeSpan.FromSeconds(1.0 / 150));
        }

        var rate = admitted / (double)seconds;
        Assert.InRange(rate, 50 * 0.95, 50 * 1.05);
        Assert.True(refused > 0);
    }

    [Fact]
    public async Task Message_size_and_rate_limits_come_from_the_senders_contract()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
        await using var _db = db;
        await using var _h = hub;
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "ns-a", maxMessage: 100, vectorsPerSecond: 2));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "ns-a"));
        var big = new OutgoingMessage { Body = JsonSerializer.SerializeToElement(new { blob = new string('x', 200) }) };
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => hub.SendAsync(Caller.Model("alice"), "bob", big));
        await hub.SendAsync(Caller.Model("alice"), "bob", new OutgoingMessage { Text = "one" });
        await hub.SendAsync(Caller.Model("alice"), "bob", new OutgoingMessage { Text = "two" });
        var e = await Assert.ThrowsAsync<RateLimitedException>(() => hub.SendAsync(Caller.Model("alice"), "bob", new OutgoingMessage { Text = "three" }));
        Assert.True(e.RetryAfter > TimeSpan.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        await hub.SendAsync(Caller.Model("alice"), "bob", new OutgoingMessage { Text = "three" });
    }
}

public class FootprintTests
{
    [Fact]
    public async Task Opening_communication_creates_no_collections_until_it_is_used()
    {
        using var dir = new TempDir();
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider());
        await using var _db = db;
        await using var _h = hub;
        Assert.Empty(await ((IVectorDatabase)db).ListCollectionsAsync());
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "ns-a"));
        Assert.Equal(["_hvs_registry"], await ((IVectorDatabase)db).ListCollectionsAsync());
    }
}
