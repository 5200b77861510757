namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// A hybrid logical clock reading (Kulkarni et al. 2014): <see cref="Physical"/> is the largest
/// physical time seen, in Unix milliseconds; <see cref="Logical"/> counts events within it;
/// <see cref="Node"/> breaks ties so that readings of different nodes are totally ordered.
/// Order: physical, then logical, then node id by ordinal.
/// </summary>
public readonly record struct HlcTimestamp(long Physical, int Logical, string Node) : IComparable<HlcTimestamp>
{
    /// <summary>Compares physical time, then the logical counter, then the node id (ordinal).</summary>
    public int CompareTo(HlcTimestamp other)
    {
        var c = Physical.CompareTo(other.Physical);
        if (c != 0)
        {
            return c;
        }

        c = Logical.CompareTo(other.Logical);
        return c != 0 ? c : string.CompareOrdinal(Node, other.Node);
    }

    /// <summary>True when <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator <(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator >(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>True unless <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator <=(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>True unless <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator >=(HlcTimestamp left, HlcTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>The later of two readings.</summary>
    public static HlcTimestamp Max(HlcTimestamp a, HlcTimestamp b) => a >= b ? a : b;

    /// <inheritdoc />
    public override string ToString() => $"{Physical}.{Logical}@{Node}";
}
