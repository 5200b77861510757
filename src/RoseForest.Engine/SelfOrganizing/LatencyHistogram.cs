namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// A lock-free latency histogram with fixed logarithmic buckets: 8 per power of two from 1 µs
/// to about 70 s (a bucket is at most 12.5% wide, so a percentile is within 12.5% of the truth).
/// Recording is one bucket computation and two interlocked increments; reading copies the
/// buckets. Chosen over HdrHistogram for its fixed size and no locks on the query path.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private const int Octaves = 27; // 2^26 µs ≈ 67 s
    private readonly long[] _buckets = new long[(Octaves * SubBuckets) + 1];
    private long _count;

    public long Count => Volatile.Read(ref _count);

    /// <summary>Records one duration in microseconds.</summary>
    public void Record(double microseconds)
    {
        Interlocked.Increment(ref _buckets[Bucket(microseconds)]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Adds another histogram's counts into this one.</summary>
    public void Add(long[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
            {
                Interlocked.Add(ref _buckets[i], counts[i]);
                Interlocked.Add(ref _count, counts[i]);
            }
        }
    }

    /// <summary>Takes the counts and empties the histogram (counts recorded meanwhile land in one or the other).</summary>
    public long[] Drain()
    {
        var copy = new long[_buckets.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Exchange(ref _buckets[i], 0);
            Interlocked.Add(ref _count, -copy[i]);
        }

        return copy;
    }

    /// <summary>A copy of the counts.</summary>
    public long[] Snapshot()
    {
        var copy = new long[_buckets.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _buckets[i]);
        }

        return copy;
    }

    internal static int Bucket(double microseconds)
    {
        if (!(microseconds >= 1))
        {
            return 0;
        }

        var octave = Math.Min(Octaves - 1, (int)Math.Log2(microseconds));
        var within = (int)(((microseconds / Math.Pow(2, octave)) - 1) * SubBuckets);
        return 1 + (octave * SubBuckets) + Math.Clamp(within, 0, SubBuckets - 1);
    }

    /// <summary>The upper edge of a bucket in microseconds (a percentile reports this: never below the truth).</summary>
    internal static double UpperEdge(int bucket) =>
        bucket == 0 ? 1 : Math.Pow(2, (bucket - 1) / SubBuckets) * (1 + ((((bucket - 1) % SubBuckets) + 1) / (double)SubBuckets));

    /// <summary>The q-quantile (0..1) of the counts in milliseconds, 0 without counts.</summary>
    public static double PercentileMs(long[] counts, double q)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperEdge(i) / 1000.0;
            }
        }

        return UpperEdge(counts.Length - 1) / 1000.0;
    }
}
