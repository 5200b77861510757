using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RoseForest.Index.Rotation;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// A Hierarchical Navigable Small World graph over the slots of a <see cref="VectorStore"/>
/// (Malkov &amp; Yashunin 2018). Node ids are slots. Layer-0 link lists live in chunks of native
/// memory ([count, ids…] per node, M0 = 2M entries); the few upper-layer lists live in small
/// managed arrays, and so do the layer-0 lists of hubs that outgrew M0 (<see cref="HnswParameters.HubLinks"/>).
/// Inserts, searches, deletes and repairs run concurrently: a link list is
/// changed only under its node's (striped) lock, and searches read lists without locks — a
/// racing reader may see an older or newer list, but every id it sees is a valid node.
/// Split by concern: .Insert, .Search, .Delete, .Persistence.
/// </summary>
internal sealed unsafe partial class HnswGraph : IDisposable
{
    internal const byte Absent = byte.MaxValue;
    private const int LockStripes = 4096;

    private readonly VectorStore _vectors;
    private readonly HnswParameters _parameters;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _stride0;
    private readonly int _hubLinks;
    private readonly ChunkedRows<int> _links0;
    private readonly object[] _locks;
    private readonly object _entryGate = new();
    private int _capacity;
    private byte[] _levels = [];
    private int[]?[] _upper = [];
    private int[]?[] _hubs = [];
    private byte[] _deleted = [];
    private long _entry = -1;
    private int _nodeCount;
    private int _deletedCount;
    private long _inserts;
    private PcaRotation? _rotation;

    public HnswGraph(VectorStore vectors, HnswParameters parameters)
    {
        parameters.Validate();
        _vectors = vectors;
        _parameters = parameters;
        _m = parameters.M;
        _m0 = parameters.M0;
        _stride0 = _m0 + 1;
        _hubLinks = parameters.MaxLinks0;
        _links0 = new ChunkedRows<int>(_stride0);
        _locks = new object[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new object();
        }

        EnsureCapacity(Math.Max(vectors.Capacity, 16));
    }

    public HnswParameters Parameters => _parameters;

    public VectorStore Vectors => _vectors;

    /// <summary>Nodes in the graph, tombstones included.</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>Deleted nodes still in the graph (they route searches until consolidated).</summary>
    public int DeletedCount => Volatile.Read(ref _deletedCount);

    public int Capacity => Volatile.Read(ref _capacity);

    /// <summary>The entry node, or −1 when the graph is empty.</summary>
    public int EntryNode
    {
        get
        {
            var e = Volatile.Read(ref _entry);
            return e < 0 ? -1 : (int)(e & 0xFFFFFFFF);
        }
    }

    /// <summary>The entry point as (level &lt;&lt; 32) | node, or −1 when the graph is empty.</summary>
    internal long PackedEntry => Volatile.Read(ref _entry);

    /// <summary>The entry node's level, or −1 when the graph is empty.</summary>
    public int MaxLevel
    {
        get
        {
            var e = Volatile.Read(ref _entry);
            return e < 0 ? -1 : (int)(e >> 32);
        }
    }

    /// <summary>Bytes of the graph's own structures (links and levels; not the vectors).</summary>
    public long BytesAllocated
    {
        get
        {
            var bytes = _links0.BytesAllocated + (_rotation?.BytesAllocated ?? 0);
            bytes += _levels.Length + _deleted.Length + ((long)_upper.Length * IntPtr.Size);
            bytes += (long)_hubs.Length * IntPtr.Size;
            foreach (var lists in new[] { _upper, _hubs })
            {
                foreach (var u in lists)
                {
                    if (u is not null)
                    {
                        bytes += 16 + ((long)u.Length * sizeof(int));
                    }
                }
            }

            return bytes;
        }
    }

    /// <summary>The rotation the store's vectors are kept in, if any (see <see cref="UseRotation"/>).</summary>
    public PcaRotation? Rotation => Volatile.Read(ref _rotation);

    /// <summary>
    /// Declares that the store keeps every vector rotated by <paramref name="rotation"/> (the
    /// caller rotates them, e.g. with <see cref="RotateStored"/>): squared-L2 searches
    /// (<see cref="Core.Spaces.EuclidSpace"/>) then rotate the query and use the
    /// rotation-aware early-abandoning kernel, and so do inserts. Distances, and so results, are
    /// those of the original vectors up to float rounding. Before the first insert or search.
    /// </summary>
    public void UseRotation(PcaRotation rotation)
    {
        if (rotation.Dimension != _vectors.Dimension || _vectors.Stride < rotation.Padded)
        {
            throw new ArgumentException($"the rotation is {rotation.Dimension}-dimensional, the store {_vectors.Dimension} (stride {_vectors.Stride})", nameof(rotation));
        }

        Volatile.Write(ref _rotation, rotation);
    }

    /// <summary>Rotates the stored vectors of slots [0, <paramref name="count"/>) in place (their padding stays zero).</summary>
    public static void RotateStored(VectorStore store, PcaRotation rotation, int count)
    {
        var buffer = new float[rotation.Padded];
        for (var slot = 0; slot < count; slot++)
        {
            var row = new Span<float>(store.Pointer(slot), rotation.Padded);
            row.CopyTo(buffer);
            rotation.Apply(buffer);
            buffer.AsSpan(0, rotation.Dimension).CopyTo(row);
        }
    }

    public bool Contains(int node) => (uint)node < (uint)_levels.Length && _levels[node] != Absent;

    public bool IsDeleted(int node) => _deleted[node] != 0;

    public int LevelOf(int node) => _levels[node];

    /// <summary>Makes room for nodes below <paramref name="nodes"/>. Call from the single writer, before inserts that need it.</summary>
    public void EnsureCapacity(int nodes)
    {
        if (nodes <= _capacity)
        {
            return;
        }

        _links0.EnsureCapacity(nodes);
        var capacity = _links0.Capacity;
        var levels = new byte[capacity];
        levels.AsSpan().Fill(Absent);
        Array.Copy(_levels, levels, _levels.Length);
        var upper = new int[]?[capacity];
        Array.Copy(_upper, upper, _upper.Length);
        var hubs = new int[]?[capacity];
        Array.Copy(_hubs, hubs, _hubs.Length);
        var deleted = new byte[capacity];
        Array.Copy(_deleted, deleted, _deleted.Length);

        Volatile.Write(ref _levels, levels);
        Volatile.Write(ref _upper, upper);
        Volatile.Write(ref _hubs, hubs);
        Volatile.Write(ref _deleted, deleted);
        Volatile.Write(ref _capacity, capacity);
    }

    /// <summary>
    /// The fixed layer-0 block of a node: element 0 is the count, then the ids. A hub's current
    /// list is elsewhere (<see cref="Links"/>); use this only to reset a node or to prefetch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int* Links0(int node)
    {
        Debug.Assert((uint)node < (uint)_capacity, "node out of range");
        return _links0.Pointer(node);
    }

    /// <summary>
    /// The list of a node at a layer ([count, ids…]); empty when the node has no such layer (a
    /// racing reader may meet a node that consolidation just removed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<int> Links(int node, int level)
    {
        if (level == 0)
        {
            var hub = Volatile.Read(ref _hubs[node]);
            return hub is null ? new Span<int>(Links0(node), _stride0) : hub;
        }

        var upper = Volatile.Read(ref _upper[node]);
        var start = (level - 1) * (_m + 1);
        return upper is null || start >= upper.Length ? default : upper.AsSpan(start, _m + 1);
    }

    /// <summary>The links a node starts with room for on a layer (a hub's layer 0 may grow to <see cref="HnswParameters.MaxLinks0"/>).</summary>
    internal int MaxLinks(int level) => level == 0 ? _m0 : _m;

    /// <summary>Empties a node's layer-0 list (a new or a removed node). Under the node's lock or before it is visible.</summary>
    private void ResetLinks0(int node)
    {
        *Links0(node) = 0;
        Volatile.Write(ref _hubs[node], null);
    }

    /// <summary>
    /// Moves a full layer-0 list to a hub array with room for <see cref="HnswParameters.HubLinks"/>
    /// and returns it, or returns an empty span when hubs are off or it already is one. Under the node's lock.
    /// </summary>
    private Span<int> GrowToHub(int node, Span<int> full)
    {
        if (full.Length - 1 >= _hubLinks)
        {
            return default;
        }

        var hub = new int[_hubLinks + 1];
        full.CopyTo(hub);
        Volatile.Write(ref _hubs[node], hub);
        return hub;
    }

    internal object LockOf(int node) => _locks[node & (LockStripes - 1)];

    /// <summary>Draws a level for the next insert: ⌊−ln(U)·mL⌋ from a seeded stream.</summary>
    internal int DrawLevel()
    {
        var n = (ulong)Interlocked.Increment(ref _inserts);
        var z = _parameters.Seed + (n * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        var u = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return (int)Math.Min(-Math.Log(u) * _parameters.LevelMultiplier, 32);
    }

    private static long PackEntry(int node, int level) => ((long)level << 32) | (uint)node;

    public void Dispose()
    {
        _capacity = 0;
        _links0.Dispose();
    }
}
