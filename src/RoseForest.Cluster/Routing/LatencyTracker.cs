namespace RoseForest.Cluster.Routing;

/// <summary>
/// The recent latencies of one node's reads (a ring of the last 128), and their 95th
/// percentile: the delay after which a read is hedged to a second replica.
/// </summary>
internal sealed class LatencyTracker
{
    private const int Capacity = 128;
    private const int MinimumSamples = 8;
    private readonly double[] _ring = new double[Capacity];
    private int _count;
    private int _next;

    /// <summary>The hedging delay used before enough reads were measured.</summary>
    public static TimeSpan Default { get; } = TimeSpan.FromMilliseconds(50);

    public void Record(TimeSpan latency)
    {
        lock (_ring)
        {
            _ring[_next] = latency.TotalMilliseconds;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The 95th percentile of the recorded latencies (nearest rank), or <see cref="Default"/>.</summary>
    public TimeSpan P95()
    {
        double[] copy;
        lock (_ring)
        {
            if (_count < MinimumSamples)
            {
                return Default;
            }

            copy = _ring[.._count];
        }

        Array.Sort(copy);
        var rank = (int)Math.Ceiling(0.95 * copy.Length) - 1;
        return TimeSpan.FromMilliseconds(copy[Math.Clamp(rank, 0, copy.Length - 1)]);
    }
}
