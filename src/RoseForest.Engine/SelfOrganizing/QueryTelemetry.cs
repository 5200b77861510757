using System.Collections.Concurrent;

namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// What the query path records for one collection, cheaply and without locks or allocation:
/// a latency histogram, sums of hops and visited nodes per graph search, a ring of the newest
/// graph searches' (layer-0 entry node, hops), and every n-th unfiltered graph search's query
/// (n = 1 / sample rate) for the background recall estimate. The controller's pass reads and
/// resets the "since the last pass" parts.
/// </summary>
internal sealed class QueryTelemetry
{
    /// <summary>Graph searches whose region the ring remembers between two passes (older ones are overwritten: region counts are then a sample).</summary>
    public const int RingSize = 8192;

    /// <summary>Queries waiting for their exact re-run at most; more are dropped (the background work stays bounded).</summary>
    public const int MaxPending = 64;

    private readonly LatencyHistogram _recent = new();
    private readonly LatencyHistogram _total = new();
    private long[]? _ring; // allocated by the first graph search: most collections of a big database are never searched
    private readonly ConcurrentQueue<PendingSample> _pending = new();
    private long _ringNext;
    private long _queries;
    private long _walks;
    private long _hops;
    private long _scored;
    private int _pendingCount;
    private int _samplePeriod = 100;

    public long Queries => Volatile.Read(ref _queries);

    public long Walks => Volatile.Read(ref _walks);

    public long HopsTotal => Volatile.Read(ref _hops);

    public long ScoredTotal => Volatile.Read(ref _scored);

    public long RingNext => Volatile.Read(ref _ringNext);

    /// <summary>Every how many graph searches one is sampled (0: none).</summary>
    public double SampleRate
    {
        set => Volatile.Write(ref _samplePeriod, value <= 0 ? 0 : (int)Math.Max(1, Math.Round(1 / value)));
    }

    /// <summary>One query's latency.</summary>
    public void RecordQuery(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _queries);
        var us = elapsed.TotalMicroseconds;
        _recent.Record(us);
        _total.Record(us);
    }

    /// <summary>One graph search's work and region; true when its query should be sampled.</summary>
    public bool RecordWalk(int hops, int scored, int entry, bool sampleable)
    {
        var n = Interlocked.Increment(ref _walks);
        Interlocked.Add(ref _hops, hops);
        Interlocked.Add(ref _scored, scored);
        var ring = Volatile.Read(ref _ring) ?? AllocateRing();
        var at = Interlocked.Increment(ref _ringNext) - 1;
        Volatile.Write(ref ring[at & (RingSize - 1)], ((long)entry << 32) | (uint)hops);
        var period = _samplePeriod;
        return sampleable && period > 0 && n % period == 0 && Volatile.Read(ref _pendingCount) < MaxPending;
    }

    private long[] AllocateRing()
    {
        Interlocked.CompareExchange(ref _ring, new long[RingSize], null);
        return _ring!;
    }

    public void Offer(float[] query, float aux)
    {
        if (Interlocked.Increment(ref _pendingCount) > MaxPending)
        {
            Interlocked.Decrement(ref _pendingCount);
            return;
        }

        _pending.Enqueue(new PendingSample(query, aux));
    }

    public bool TryTakeSample(out PendingSample sample)
    {
        if (_pending.TryDequeue(out sample))
        {
            Interlocked.Decrement(ref _pendingCount);
            return true;
        }

        return false;
    }

    /// <summary>The latencies since the last call (emptied).</summary>
    public long[] DrainRecentLatencies() => _recent.Drain();

    public long[] TotalLatencies() => _total.Snapshot();

    /// <summary>The ring's entries from <paramref name="from"/> to <paramref name="to"/> (at most the ring's size), as (entry, hops).</summary>
    public IEnumerable<(int Entry, int Hops)> RingEntries(long from, long to)
    {
        var ring = Volatile.Read(ref _ring);
        if (ring is null)
        {
            yield break;
        }

        from = Math.Max(from, to - RingSize);
        for (var i = from; i < to; i++)
        {
            var v = Volatile.Read(ref ring[i & (RingSize - 1)]);
            yield return ((int)(v >> 32), (int)(v & 0xFFFFFFFF));
        }
    }

    internal readonly record struct PendingSample(float[] Query, float Aux);
}
