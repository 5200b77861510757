using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Communication.Access;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Tests;

public class MailboxTests
{
    private static OutgoingMessage Msg(string text, string? key = null) => new() { Body = JsonSerializer.SerializeToElement(new { text, n = 1 }), Text = text, IdempotencyKey = key };

    private static async Task<(TempDir Dir, FakeTimeProvider Time, Engine.RoseForestDatabase Db, CommunicationHub Hub)> SetupAsync()
    {
        var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "team-a"));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "team-a"));
        await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("carol", "team-a"));
        return (dir, time, db, hub);
    }

    [Fact]
    public async Task A_message_is_received_verbatim_and_an_ack_takes_effect_exactly_once()
    {
        var (dir, _, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        var sent = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("hello bob"));
        var got = Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal("alice", got.From);
        Assert.Equal("hello bob", got.Body!.Value.GetProperty("text").GetString());
        var first = await hub.AckAsync(Caller.Model("bob"), "bob", [sent.Id]);
        var second = await hub.AckAsync(Caller.Model("bob"), "bob", [sent.Id]);
        Assert.Equal(AckOutcome.Acked, first[sent.Id]);
        Assert.Equal(AckOutcome.AlreadyAcked, second[sent.Id]);
        Assert.Empty(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
    }

    [Fact]
    public async Task An_unacked_message_comes_back_after_its_visibility_timeout()
    {
        var (dir, time, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        var sent = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("retry me"));
        Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10, visibility: TimeSpan.FromSeconds(30)));
        Assert.Empty(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        time.Advance(TimeSpan.FromSeconds(31));
        var again = Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        Assert.Equal(sent.Id, again.Id);
        Assert.Equal(2, again.Deliveries);
    }

    [Fact]
    public async Task A_retried_send_with_the_same_idempotency_key_is_one_message_even_after_the_ack()
    {
        var (dir, _, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        var first = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("once", key: "k1"));
        var retry = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("once", key: "k1"));
        Assert.Equal(first.Id, retry.Id);
        Assert.True(retry.Duplicate);
        var got = Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        await hub.AckAsync(Caller.Model("bob"), "bob", [got.Id]);
        var late = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("once", key: "k1"));
        Assert.True(late.Duplicate);
        Assert.Empty(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
    }

    [Fact]
    public async Task A_senders_messages_come_in_order_and_none_passes_an_earlier_one_in_flight()
    {
        var (dir, time, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        var a1 = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("a1"));
        var c1 = await hub.SendAsync(Caller.Model("carol"), "bob", Msg("c1"));
        var a2 = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("a2"));
        var first = Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 1));
        Assert.Equal(a1.Id, first.Id);
        // a1 is leased: alice's a2 must wait, carol's c1 may pass.
        var next = await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10);
        Assert.Equal([c1.Id], next.Select(m => m.Id));
        await hub.AckAsync(Caller.Model("bob"), "bob", [a1.Id]);
        Assert.Equal([a2.Id], (await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10)).Select(m => m.Id));
        _ = time;
    }

    [Fact]
    public async Task An_expired_message_is_not_delivered_and_the_sweep_deletes_it()
    {
        var (dir, time, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        await hub.SendAsync(Caller.Model("alice"), "bob", Msg("short") with { TimeToLive = TimeSpan.FromMinutes(1) });
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
        Assert.Equal(1, await hub.SweepAsync());
        Assert.Equal(0, hub.PendingMessages("bob"));
    }

    [Fact]
    public async Task A_long_poll_returns_when_a_message_arrives()
    {
        var (dir, _, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        var waiting = hub.ReceiveAsync(Caller.Model("bob"), "bob", 10, wait: TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);
        var sent = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("wake up"));
        Assert.Equal(sent.Id, Assert.Single(await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Id);
    }

    [Fact]
    public async Task Messages_acks_and_idempotency_survive_a_reopen()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Guid kept, acked;
        {
            var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
            await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "team-a"));
            await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "team-a"));
            acked = (await hub.SendAsync(Caller.Model("alice"), "bob", Msg("first", "k-first"))).Id;
            kept = (await hub.SendAsync(Caller.Model("alice"), "bob", Msg("second"))).Id;
            Assert.Equal(2, (await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10)).Count);
            await hub.AckAsync(Caller.Model("bob"), "bob", [acked]);
            await hub.DisposeAsync();
            await db.DisposeAsync();
        }

        {
            var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
            await using var _db = db;
            await using var _h = hub;
            var again = await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10);
            Assert.Equal([kept], again.Select(m => m.Id));
            Assert.True((await hub.SendAsync(Caller.Model("alice"), "bob", Msg("first", "k-first"))).Duplicate);
            Assert.Equal(AckOutcome.AlreadyAcked, (await hub.AckAsync(Caller.Model("bob"), "bob", [acked]))[acked]);
            // A restarted server keeps numbering after the highest sequence it found.
            var next = await hub.SendAsync(Caller.Model("alice"), "bob", Msg("third"));
            Assert.True(next.Sequence > again[0].Sequence);
        }
    }

    [Fact]
    public async Task Only_the_sender_cancels_an_unacked_message_and_the_cancel_survives_a_reopen()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Guid received, waiting, done;
        {
            var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
            await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "team-a"));
            await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "team-a"));
            await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("carol", "team-a"));
            done = (await hub.SendAsync(Caller.Model("alice"), "bob", Msg("acked first"))).Id;
            Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
            await hub.AckAsync(Caller.Model("bob"), "bob", [done]);
            received = (await hub.SendAsync(Caller.Model("alice"), "bob", Msg("received, then withdrawn"))).Id;
            Assert.Single(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
            waiting = (await hub.SendAsync(Caller.Model("carol"), "bob", Msg("never received"))).Id;

            // The recipient acks rather than cancels; a stranger is told there is no such message; an acked one is final.
            await Assert.ThrowsAsync<AccessDeniedException>(() => hub.CancelMessageAsync(Caller.Model("bob"), "bob", received));
            await Assert.ThrowsAsync<NotFoundException>(() => hub.CancelMessageAsync(Caller.Model("carol"), "bob", received));
            await Assert.ThrowsAsync<ConflictException>(() => hub.CancelMessageAsync(Caller.Model("alice"), "bob", done));

            Assert.Equal(MessageStatus.Canceled, await hub.CancelMessageAsync(Caller.Model("alice"), "bob", received));
            Assert.Equal(MessageStatus.Canceled, await hub.CancelMessageAsync(Caller.Model("carol"), "bob", waiting));
            Assert.Equal(MessageStatus.Canceled, await hub.CancelMessageAsync(Caller.Model("carol"), "bob", waiting));
            // The lease in flight is void: the recipient's ack says so.
            Assert.Equal(AckOutcome.Canceled, (await hub.AckAsync(Caller.Model("bob"), "bob", [received]))[received]);
            await hub.DisposeAsync();
            await db.DisposeAsync();
        }

        {
            var (db, hub) = await Fixtures.OpenAsync(dir.Path, time);
            await using var _db = db;
            await using var _h = hub;
            time.Advance(TimeSpan.FromHours(1));
            Assert.Empty(await hub.ReceiveAsync(Caller.Model("bob"), "bob", 10));
            Assert.Equal(MessageStatus.Canceled, hub.MessageStatus(Caller.Model("alice"), "bob", received));
            Assert.Equal(MessageStatus.Canceled, hub.MessageStatus(Caller.Model("carol"), "bob", waiting));
            Assert.Equal(MessageStatus.Acked, hub.MessageStatus(Caller.Model("alice"), "bob", done));
            Assert.Equal(0, hub.PendingMessages("bob"));
        }
    }

    [Fact]
    public async Task Search_finds_the_recipients_own_messages_by_text()
    {
        var (dir, _, db, hub) = await SetupAsync();
        using var _d = dir;
        await using var _db = db;
        await using var _h = hub;
        await hub.SendAsync(Caller.Model("alice"), "bob", Msg("the quarterly budget report"));
        await hub.SendAsync(Caller.Model("alice"), "bob", Msg("lunch at noon"));
        await hub.SendAsync(Caller.Model("alice"), "carol", Msg("the quarterly budget report for carol"));
        var hits = await hub.SearchMessagesAsync(Caller.Model("bob"), "bob", "quarterly budget", null, 5);
        Assert.Equal(2, hits.Count);
        Assert.Equal("the quarterly budget report", hits[0].Message.Text);
        Assert.All(hits, h => Assert.Equal("bob", h.Message.To));
    }
}
