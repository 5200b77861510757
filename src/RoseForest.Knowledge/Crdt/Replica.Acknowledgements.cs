namespace RoseForest.Knowledge.Crdt;

/// <summary>Peer acknowledgement vectors and the garbage collection of delete markers.</summary>
public sealed partial class Replica
{
    /// <summary>Peers whose acknowledgement a delete marker waits for, ordinal order.</summary>
    public IReadOnlyList<string> KnownPeers => [.. _acknowledgements.Keys];

    /// <summary>
    /// This replica's acknowledgement vector: for each origin, the n such that all of its dots 1..n
    /// have been merged here. Peers pass it to <see cref="Acknowledge"/>.
    /// </summary>
    public IReadOnlyDictionary<string, long> AcknowledgementVector
        => new SortedDictionary<string, long>(State.Context.Vector.ToDictionary(), StringComparer.Ordinal);

    /// <summary>Registers a peer; until it acknowledges, no delete marker is collected.</summary>
    public void AddPeer(string peer)
    {
        if (peer != NodeId)
        {
            _acknowledgements.TryAdd(peer, new Dictionary<string, long>(StringComparer.Ordinal));
        }
    }

    /// <summary>Records a peer's acknowledgement vector (entry-wise maximum with what it said before).</summary>
    public void Acknowledge(string peer, IReadOnlyDictionary<string, long> vector)
    {
        AddPeer(peer);
        if (!_acknowledgements.TryGetValue(peer, out var held))
        {
            return;
        }

        foreach (var (origin, max) in vector)
        {
            if (max > held.GetValueOrDefault(origin))
            {
                held[origin] = max;
            }
        }
    }

    /// <summary>
    /// Drops every delete marker whose dot this replica and every known peer have acknowledged.
    /// Safe at any time: the dot stays in the context, so a late copy of the marker or of an entry
    /// it removed is recognised as seen and not revived. Returns how many markers were dropped.
    /// </summary>
    public int CollectGarbage()
        => State.CollectTombstones(dot =>
            State.Context.ContiguousMax(dot.Origin) >= dot.Seq
            && _acknowledgements.Values.All(ack => ack.GetValueOrDefault(dot.Origin) >= dot.Seq));
}
