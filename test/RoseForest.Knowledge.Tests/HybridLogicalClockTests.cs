using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Tests;

public sealed class HybridLogicalClockTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddSeconds(100);

    [Fact]
    public void Readings_increase_when_physical_time_stalls_or_goes_back()
    {
        var time = new SettableTime(Start);
        var clock = new HybridLogicalClock("a", time);
        var first = clock.Now();
        var second = clock.Now();
        time.Now = Start.AddSeconds(-5);
        var third = clock.Now();
        Assert.True(first < second && second < third);
        Assert.Equal(first.Physical, third.Physical);
        Assert.Equal(2, third.Logical);
    }

    [Fact]
    public void Physical_time_moving_on_resets_the_logical_counter()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new HybridLogicalClock("a", time);
        clock.Now();
        clock.Now();
        time.Advance(TimeSpan.FromMilliseconds(1));
        var reading = clock.Now();
        Assert.Equal(0, reading.Logical);
        Assert.Equal(Start.ToUnixTimeMilliseconds() + 1, reading.Physical);
    }

    [Fact]
    public void A_receive_reads_later_than_the_message_even_from_a_clock_ahead()
    {
        var clock = new HybridLogicalClock("a", new FakeTimeProvider(Start));
        var remote = new HlcTimestamp(Start.ToUnixTimeMilliseconds() + 5000, 7, "b");
        var received = clock.Receive(remote);
        Assert.True(received > remote);
        Assert.Equal(remote.Physical, received.Physical);
        Assert.Equal(8, received.Logical);
        Assert.True(clock.Now() > received);
    }

    [Fact]
    public void Equal_physical_and_logical_parts_are_ordered_by_node_id()
    {
        Assert.True(new HlcTimestamp(1, 1, "a") < new HlcTimestamp(1, 1, "b"));
        Assert.True(new HlcTimestamp(1, 2, "a") > new HlcTimestamp(1, 1, "b"));
    }

    [Fact]
    public void A_reading_too_far_ahead_is_refused_when_a_drift_limit_is_set()
    {
        var clock = new HybridLogicalClock("a", new FakeTimeProvider(Start), TimeSpan.FromSeconds(1));
        var before = clock.Current;
        Assert.Throws<ClockDriftException>(() => clock.Receive(new HlcTimestamp(Start.ToUnixTimeMilliseconds() + 2000, 0, "b")));
        Assert.Equal(before, clock.Current);
        clock.Receive(new HlcTimestamp(Start.ToUnixTimeMilliseconds() + 900, 0, "b"));
    }
}
