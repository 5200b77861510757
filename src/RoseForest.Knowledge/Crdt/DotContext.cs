using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// The set of dots a state has seen (its causal context), kept compact as a version vector
/// (every sequence number 1..n of an origin) plus a cloud of dots that arrived out of order. A dot
/// in the context but absent from the store was removed; that is how a delete beats exactly the
/// writes it observed, with no per-entry tombstone. Join is set union (a join-semilattice).
/// </summary>
public sealed class DotContext
{
    private readonly SortedDictionary<string, long> _vector = new(StringComparer.Ordinal);
    private readonly SortedSet<Dot> _cloud = [];

    /// <summary>The compact part: for each origin, the n such that dots 1..n are all seen.</summary>
    public IReadOnlyDictionary<string, long> Vector => _vector;

    /// <summary>Seen dots beyond the compact part (gaps below them not yet filled).</summary>
    public IReadOnlyCollection<Dot> Cloud => _cloud;

    /// <summary>True when the dot has been seen.</summary>
    public bool Contains(Dot dot)
        => (_vector.TryGetValue(dot.Origin, out var max) && dot.Seq <= max) || _cloud.Contains(dot);

    /// <summary>The highest sequence number seen from an origin without gaps below it (0 for none).</summary>
    public long ContiguousMax(string origin) => _vector.GetValueOrDefault(origin);

    /// <summary>The highest sequence number seen from an origin, gaps or not.</summary>
    public long Max(string origin)
    {
        var max = ContiguousMax(origin);
        foreach (var dot in _cloud)
        {
            if (dot.Origin == origin && dot.Seq > max)
            {
                max = dot.Seq;
            }
        }

        return max;
    }

    /// <summary>Adds one dot; returns false when it was already seen.</summary>
    public bool Add(Dot dot)
    {
        if (dot.Seq <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dot), dot, "sequence numbers start at 1");
        }

        if (Contains(dot))
        {
            return false;
        }

        _cloud.Add(dot);
        Compact(dot.Origin);
        return true;
    }

    /// <summary>Joins another context into this one (set union); returns true when this one grew.</summary>
    public bool Join(DotContext other)
    {
        var grew = false;
        foreach (var (origin, max) in other._vector)
        {
            if (max > _vector.GetValueOrDefault(origin))
            {
                _vector[origin] = max;
                _cloud.RemoveWhere(d => d.Origin == origin && d.Seq <= max);
                grew = true;
            }
        }

        foreach (var dot in other._cloud)
        {
            if (!Contains(dot))
            {
                _cloud.Add(dot);
                grew = true;
            }
        }

        if (grew)
        {
            foreach (var origin in other._vector.Keys.Concat(other._cloud.Select(d => d.Origin)).Distinct().ToList())
            {
                Compact(origin);
            }
        }

        return grew;
    }

    /// <summary>True when every dot of <paramref name="other"/> is in this context.</summary>
    public bool Includes(DotContext other)
        => other._vector.All(kv => ContiguousMax(kv.Key) >= kv.Value) && other._cloud.All(Contains);

    /// <summary>A deep copy.</summary>
    public DotContext Clone()
    {
        var copy = new DotContext();
        foreach (var (origin, max) in _vector)
        {
            copy._vector[origin] = max;
        }

        copy._cloud.UnionWith(_cloud);
        return copy;
    }

    /// <summary>Adds every dot 1..<paramref name="max"/> of an origin at once (decoding a context).</summary>
    internal void AddContiguous(string origin, long max)
    {
        if (max > _vector.GetValueOrDefault(origin))
        {
            _vector[origin] = max;
            _cloud.RemoveWhere(d => d.Origin == origin && d.Seq <= max);
            Compact(origin);
        }
    }

    internal void WriteCanonical(CanonicalWriter w)
    {
        w.WriteUInt32((uint)_vector.Count);
        foreach (var (origin, max) in _vector)
        {
            w.WriteString(origin);
            w.WriteInt64(max);
        }

        w.WriteUInt32((uint)_cloud.Count);
        foreach (var dot in _cloud)
        {
            w.WriteString(dot.Origin);
            w.WriteInt64(dot.Seq);
        }
    }

    private void Compact(string origin)
    {
        var max = _vector.GetValueOrDefault(origin);
        while (_cloud.Remove(new Dot(origin, max + 1)))
        {
            max++;
        }

        if (max > 0)
        {
            _vector[origin] = max;
        }
    }
}
