namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// The identity of one mutation entry: the replica that made it and that replica's sequence
/// number (1, 2, 3, ... with no gaps). Dots are what causal contexts record and what deletes remove.
/// </summary>
public readonly record struct Dot(string Origin, long Seq) : IComparable<Dot>
{
    /// <summary>Orders by origin (ordinal), then sequence number.</summary>
    public int CompareTo(Dot other)
    {
        var c = string.CompareOrdinal(Origin, other.Origin);
        return c != 0 ? c : Seq.CompareTo(other.Seq);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Origin}:{Seq}";
}
