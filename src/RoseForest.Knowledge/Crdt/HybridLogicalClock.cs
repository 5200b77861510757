namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014) for one
/// node. Physical time comes from an injected <see cref="TimeProvider"/>. Its readings respect
/// causality (an event that saw another reads later) and stay close to physical time. Not
/// thread-safe: one clock belongs to one replica, which serialises its mutations.
/// </summary>
public sealed class HybridLogicalClock
{
    private readonly TimeProvider _time;
    private long _physical;
    private int _logical;

    /// <summary>Creates a clock for <paramref name="node"/>.</summary>
    /// <param name="node">The node id stamped on every reading; it breaks ties between nodes.</param>
    /// <param name="time">The physical clock.</param>
    /// <param name="maxForwardDrift">
    /// How far ahead of local physical time a received reading may be before <see cref="Receive"/>
    /// refuses it (a peer with a runaway clock would otherwise drag every clock forward). Null: no limit.
    /// </param>
    public HybridLogicalClock(string node, TimeProvider time, TimeSpan? maxForwardDrift = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        Node = node;
        _time = time;
        MaxForwardDrift = maxForwardDrift;
    }

    /// <summary>The node id stamped on readings.</summary>
    public string Node { get; }

    /// <summary>The largest forward drift accepted from a peer, or null for none.</summary>
    public TimeSpan? MaxForwardDrift { get; }

    /// <summary>The last reading handed out or absorbed, without advancing the clock.</summary>
    public HlcTimestamp Current => new(_physical, _logical, Node);

    /// <summary>Reads the clock for a local or send event; every reading is larger than the previous one.</summary>
    public HlcTimestamp Now()
    {
        var pt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (pt > _physical)
        {
            _physical = pt;
            _logical = 0;
        }
        else
        {
            _logical = checked(_logical + 1);
        }

        return Current;
    }

    /// <summary>Absorbs a reading received from another node and returns the receive event's reading.</summary>
    /// <exception cref="ClockDriftException">The reading is further ahead than <see cref="MaxForwardDrift"/>.</exception>
    public HlcTimestamp Receive(HlcTimestamp remote)
    {
        var pt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (MaxForwardDrift is { } drift && remote.Physical - pt > (long)drift.TotalMilliseconds)
        {
            throw new ClockDriftException(remote, pt);
        }

        var physical = Math.Max(Math.Max(_physical, remote.Physical), pt);
        int logical;
        if (physical == _physical && physical == remote.Physical)
        {
            logical = Math.Max(_logical, remote.Logical) + 1;
        }
        else if (physical == _physical)
        {
            logical = _logical + 1;
        }
        else if (physical == remote.Physical)
        {
            logical = remote.Logical + 1;
        }
        else
        {
            logical = 0;
        }

        _physical = physical;
        _logical = logical;
        return Current;
    }
}
