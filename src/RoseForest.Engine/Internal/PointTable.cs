using System.Text.Json;
using RoseForest.Core.Payloads;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A collection's points in memory: id → slot map, and per slot the id, payload, version and a
/// live flag; vectors live in a <see cref="VectorStore"/> under the same slot. Only the
/// collection's writer mutates it. Readers hold the collection's read lock; the writer fills
/// free slots without the lock (readers skip slots that are not live) and flips visibility under
/// the write lock, so a reader sees a batch entirely or not at all. With an HNSW graph, a slot
/// whose point is deleted or replaced stays in the graph as a tombstone (it still routes
/// searches) until consolidation detaches it; only then can it be reused.
/// </summary>
internal sealed class PointTable : IDisposable
{
    private readonly Dictionary<PointId, int> _slotOf = [];
    private readonly Stack<int> _free = new();
    private readonly List<int> _freedThisGroup = [];
    private readonly object _sortedGate = new();
    private PointId[] _ids;
    private JsonElement?[] _payloads;
    private long[] _versions;
    private bool[] _live;
    private int _slotCount;
    private (PointId Id, int Slot)[]? _sorted;
    private long _sortedVersion = -1;
    private long _membershipVersion;
    private volatile bool _pinned;

    public PointTable(int dimension, int initialCapacity = 1024)
    {
        Vectors = new VectorStore(dimension, initialCapacity);
        var capacity = Vectors.Capacity;
        _ids = new PointId[capacity];
        _payloads = new JsonElement?[capacity];
        _versions = new long[capacity];
        _live = new bool[capacity];
    }

    public VectorStore Vectors { get; }

    /// <summary>The collection's HNSW graph over these slots, if it has one.</summary>
    public HnswGraph? Graph { get; set; }

    /// <summary>The int8 codes of the vectors, once quantization is calibrated.</summary>
    public Index.Quantization.CodeStore? Codes { get; set; }

    /// <summary>Live points.</summary>
    public int Count => _slotOf.Count;

    /// <summary>One past the highest slot ever used: scans run over [0, SlotCount).</summary>
    public int SlotCount => Volatile.Read(ref _slotCount);

    /// <summary>Bumped whenever the set of live points or a payload changes.</summary>
    public long StateVersion { get; private set; }

    /// <summary>The UTF-8 bytes of all payloads.</summary>
    public long PayloadBytes { get; private set; }

    public long BytesInMemory =>
        Vectors.BytesAllocated +
        (Graph?.BytesAllocated ?? 0) +
        (Codes?.BytesAllocated ?? 0) +
        ((long)_ids.Length * (24 + 24 + 8 + 1)) +
        PayloadBytes +
        ((long)_slotOf.Count * 48);

    public bool IsLive(int slot) => _live[slot];

    public PointId IdAt(int slot) => _ids[slot];

    public JsonElement? PayloadAt(int slot) => _payloads[slot];

    public long VersionAt(int slot) => _versions[slot];

    public bool TryGetSlot(PointId id, out int slot) => _slotOf.TryGetValue(id, out slot);

    public bool Contains(PointId id) => _slotOf.ContainsKey(id);

    /// <summary>True when taking <paramref name="additional"/> more slots needs the vector block to grow.</summary>
    public bool NeedsGrowth(int additional) => Vectors.NeedsGrowth(_slotCount + Math.Max(0, additional - _free.Count));

    /// <summary>True while a background snapshot reads the vectors: no growth, no slot reuse.</summary>
    public bool IsPinned => _pinned;

    /// <summary>
    /// Copies the per-slot metadata as it is now and pins the vectors, so a background snapshot
    /// can write this exact state while the writer goes on: until <see cref="Unpin"/>, freed
    /// slots are not reused (rows never move: the vector store grows by chunks). Writer thread only.
    /// </summary>
    public TableView Pin()
    {
        var count = _slotCount;
        _pinned = true;
        var live = _live[..count];
        var dead = new bool[count];
        if (Graph is { } graph)
        {
            for (var slot = 0; slot < count; slot++)
            {
                dead[slot] = !live[slot] && graph.Contains(slot);
            }
        }

        return new TableView(count, live, dead, _ids[..count], _payloads[..count], _versions[..count], Vectors, Graph?.Serialize(count));
    }

    /// <summary>Ends a pin; deferred freed slots are recycled at the writer's next publish.</summary>
    public void Unpin() => _pinned = false;

    /// <summary>Grows every per-slot array. The caller excludes readers (write lock).</summary>
    public void EnsureCapacity(int additional)
    {
        var needed = _slotCount + Math.Max(0, additional - _free.Count);
        if (!Vectors.NeedsGrowth(needed))
        {
            return;
        }

        Vectors.EnsureCapacity(needed);
        var capacity = Vectors.Capacity;
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _payloads, capacity);
        Array.Resize(ref _versions, capacity);
        Array.Resize(ref _live, capacity);
    }

    /// <summary>
    /// Takes a given slot (loading a snapshot, which keeps slot numbers because the graph
    /// refers to them). <see cref="RebuildFreeList"/> must follow the last placement.
    /// </summary>
    public void PlaceAt(int slot)
    {
        if (slot >= _slotCount)
        {
            EnsureCapacity(slot + 1 - _slotCount);
            Volatile.Write(ref _slotCount, slot + 1);
        }
    }

    /// <summary>After placements: every slot below the high-water mark that is neither live nor in the graph is free.</summary>
    public void RebuildFreeList()
    {
        _free.Clear();
        for (var slot = _slotCount - 1; slot >= 0; slot--)
        {
            if (!_live[slot] && Graph?.Contains(slot) != true)
            {
                _free.Push(slot);
            }
        }
    }

    /// <summary>Slots the graph has detached become reusable (after the next recycle).</summary>
    public void AddDetached(IEnumerable<int> slots) => _freedThisGroup.AddRange(slots);

    /// <summary>Takes a free slot for a new vector; it stays invisible until <see cref="Publish"/>.</summary>
    public int AllocateSlot()
    {
        if (_free.Count > 0)
        {
            return _free.Pop();
        }

        var slot = _slotCount;
        if (slot >= Vectors.Capacity)
        {
            throw new InvalidOperationException("EnsureCapacity must run before AllocateSlot.");
        }

        Volatile.Write(ref _slotCount, slot + 1);
        return slot;
    }

    /// <summary>Makes a prepared slot the point's current version. Under the write lock.</summary>
    public void Publish(PointId id, int slot, JsonElement? payload, long version)
    {
        if (_slotOf.TryGetValue(id, out var old))
        {
            Release(old);
        }

        _slotOf[id] = slot;
        _ids[slot] = id;
        _payloads[slot] = payload;
        _versions[slot] = version;
        _live[slot] = true;
        PayloadBytes += PayloadSize(payload);
        StateVersion++;
        _membershipVersion++;
    }

    /// <summary>Removes a point; returns false when it was absent. Under the write lock.</summary>
    public bool Remove(PointId id)
    {
        if (!_slotOf.Remove(id, out var slot))
        {
            return false;
        }

        Release(slot);
        StateVersion++;
        _membershipVersion++;
        return true;
    }

    /// <summary>Replaces a live point's payload. Under the write lock.</summary>
    public void SetPayload(int slot, JsonElement? payload, long version)
    {
        PayloadBytes += PayloadSize(payload) - PayloadSize(_payloads[slot]);
        _payloads[slot] = payload;
        _versions[slot] = version;
        StateVersion++;
    }

    /// <summary>
    /// Slots freed since the last call become reusable (after readers can no longer see them).
    /// While a snapshot is pinned, freed slots wait: the snapshot may still be reading them.
    /// </summary>
    public void RecycleFreed()
    {
        if (_pinned)
        {
            return;
        }

        foreach (var slot in _freedThisGroup)
        {
            _free.Push(slot);
        }

        _freedThisGroup.Clear();
    }

    /// <summary>Live points in id order; cached until the next change. Under the read lock.</summary>
    public (PointId Id, int Slot)[] SortedById()
    {
        lock (_sortedGate)
        {
            if (_sorted is null || _sortedVersion != _membershipVersion)
            {
                var list = new (PointId, int)[_slotOf.Count];
                var i = 0;
                foreach (var (id, slot) in _slotOf)
                {
                    list[i++] = (id, slot);
                }

                Array.Sort(list, (a, b) => a.Item1.CompareTo(b.Item1));
                _sorted = list;
                _sortedVersion = _membershipVersion;
            }

            return _sorted;
        }
    }

    private void Release(int slot)
    {
        _live[slot] = false;
        PayloadBytes -= PayloadSize(_payloads[slot]);
        _payloads[slot] = null;
        if (Graph is { } graph && graph.Contains(slot))
        {
            graph.MarkDeleted(slot);
        }
        else
        {
            _freedThisGroup.Add(slot);
        }
    }

    private static int PayloadSize(JsonElement? payload) => payload is { } p ? Payload.Utf8(p).Length : 0;

    public void Dispose()
    {
        Codes?.Dispose();
        Graph?.Dispose();
        Vectors.Dispose();
    }
}
