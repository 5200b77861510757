namespace RoseForest.Knowledge.Crdt;

/// <summary>A peer's clock reading is further ahead of local physical time than the clock accepts.</summary>
public sealed class ClockDriftException : Exception
{
    /// <summary>Creates the exception for a refused reading.</summary>
    public ClockDriftException(HlcTimestamp remote, long localPhysical)
        : base($"reading {remote} is {remote.Physical - localPhysical} ms ahead of local time")
    {
        Remote = remote;
    }

    /// <summary>The refused reading.</summary>
    public HlcTimestamp Remote { get; }
}
