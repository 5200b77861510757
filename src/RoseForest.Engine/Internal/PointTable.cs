using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Engine.PayloadIndexes;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A collection's points in memory: id → slot map, and per slot the id, payload, version and a
/// live flag; each vector (dense, multi, sparse; unnamed or named) lives in its space under the
/// same slot. Only the
/// collection's writer mutates it. Readers hold the collection's read lock; the writer fills
/// free slots without the lock (readers skip slots that are not live) and flips visibility under
/// the write lock, so a reader sees a batch entirely or not at all. With an HNSW graph, a slot
/// whose point is deleted or replaced stays in the graph as a tombstone (it still routes
/// searches) until consolidation detaches it from every graph; only then can it be reused.
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

    private int _capacity;

    public PointTable(CollectionOptions options, int initialCapacity = 1024)
    {
        var dense = new List<DenseSpace>();
        var multi = new List<MultiSpace>();
        foreach (var (name, p) in options.DenseVectors)
        {
            if (p.Multivector is null)
            {
                dense.Add(new DenseSpace(dense.Count, name, p, initialCapacity));
            }
            else
            {
                multi.Add(new MultiSpace(multi.Count, name, p, initialCapacity));
            }
        }

        Dense = [.. dense];
        Multi = [.. multi];
        Sparse = [.. options.SparseVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select((kv, i) => new SparseSpace(i, kv.Key, kv.Value, initialCapacity))];
        Layout = VectorLayout.Of(Dense, Multi, Sparse);
        _capacity = Dense.Length > 0 ? Dense[0].Vectors.Capacity : initialCapacity;
        foreach (var d in Dense)
        {
            d.EnsureCapacity(_capacity);
        }

        _ids = new PointId[_capacity];
        _payloads = new JsonElement?[_capacity];
        _versions = new long[_capacity];
        _live = new bool[_capacity];
    }

    /// <summary>The dense vectors (the unnamed one first, when the collection has it).</summary>
    public DenseSpace[] Dense { get; private set; }

    /// <summary>The multivectors.</summary>
    public MultiSpace[] Multi { get; private set; }

    /// <summary>The sparse vectors.</summary>
    public SparseSpace[] Sparse { get; private set; }

    /// <summary>The spaces above with their names and positions, as one value (replaced whole by <see cref="Reshape"/>).</summary>
    public VectorLayout Layout { get; private set; }

    /// <summary>
    /// Brings the spaces in line with changed options (under the write lock): spaces whose name
    /// stays keep their data and take the new settings and position; new names get empty spaces;
    /// the removed spaces are returned (the caller frees their graph-held slots and disposes them
    /// once no reader can see them).
    /// </summary>
    public (DenseSpace[] Dense, MultiSpace[] Multi, SparseSpace[] Sparse) Reshape(CollectionOptions options)
    {
        var dense = new List<DenseSpace>();
        var multi = new List<MultiSpace>();
        foreach (var (name, p) in options.DenseVectors)
        {
            if (p.Multivector is null)
            {
                var space = DenseNamed(name) ?? new DenseSpace(dense.Count, name, p, _capacity);
                space.Index = dense.Count;
                space.Params = p;
                space.EnsureCapacity(_capacity);
                dense.Add(space);
            }
            else
            {
                var space = MultiNamed(name) ?? new MultiSpace(multi.Count, name, p, _capacity);
                space.Index = multi.Count;
                space.Params = p;
                space.EnsureCapacity(_capacity);
                multi.Add(space);
            }
        }

        var sparse = new List<SparseSpace>();
        foreach (var (name, p) in options.SparseVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var space = SparseNamed(name) ?? new SparseSpace(sparse.Count, name, p, _capacity);
            space.Index = sparse.Count;
            space.Params = p;
            space.EnsureCapacity(_capacity);
            sparse.Add(space);
        }

        var removed = (Dense.Except(dense).ToArray(), Multi.Except(multi).ToArray(), Sparse.Except(sparse).ToArray());
        Dense = [.. dense];
        Multi = [.. multi];
        Sparse = [.. sparse];
        Layout = VectorLayout.Of(Dense, Multi, Sparse);
        StateVersion++;
        return removed;
    }

    /// <summary>The payload indexes, kept in step with every payload this table publishes, edits or releases.</summary>
    public PayloadIndexSet Indexes { get; } = new();

    /// <summary>Slots the per-slot arrays hold.</summary>
    public int Capacity => _capacity;

    /// <summary>Live points.</summary>
    public int Count => _slotOf.Count;

    /// <summary>One past the highest slot ever used: scans run over [0, SlotCount).</summary>
    public int SlotCount => Volatile.Read(ref _slotCount);

    /// <summary>Bumped whenever the set of live points or a payload changes.</summary>
    public long StateVersion { get; private set; }

    /// <summary>The UTF-8 bytes of all payloads.</summary>
    public long PayloadBytes { get; private set; }

    public long BytesInMemory =>
        Dense.Sum(d => d.BytesAllocated) +
        Multi.Sum(m => m.BytesAllocated) +
        Sparse.Sum(sp => sp.BytesAllocated) +
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
    public bool NeedsGrowth(int additional) => _slotCount + Math.Max(0, additional - _free.Count) > _capacity;

    /// <summary>True when a graph of any dense space holds the slot (as a node or a tombstone).</summary>
    public bool InAnyGraph(int slot)
    {
        foreach (var d in Dense)
        {
            if (d.Graph?.Contains(slot) == true)
            {
                return true;
            }
        }

        return false;
    }

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
        for (var slot = 0; slot < count; slot++)
        {
            dead[slot] = !live[slot] && InAnyGraph(slot);
        }

        return new TableView(count, live, dead, _ids[..count], _payloads[..count], _versions[..count], this, [.. Dense.Select(d => d.Graph?.Serialize(count))])
        {
            IndexDefinitions = [.. Indexes.All.Select(i => (i.Name, PayloadIndexSet.SchemaJson(i.Schema)))],
            ValueLinkSections = [.. Dense.SelectMany(d => d.ValueLinks.Select(kv => (d.Name, kv.Key, SnapshotCodec.ValueLinksSection(d.Name, kv.Key, kv.Value, (IValueBlocks)Indexes.Find(kv.Key)!, count))))],
        };
    }

    /// <summary>An index of this table's live points, built outside the table (its per-value links are built separately).</summary>
    public FieldIndex BuildIndex(PayloadPath key, PayloadIndexParams schema)
    {
        var index = FieldIndex.Create(key, schema);
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_live[slot])
            {
                index.Set(slot, _payloads[slot], renewed: false);
            }
        }

        index.ForgetChanges();
        return index;
    }

    /// <summary>Ends a pin; deferred freed slots are recycled at the writer's next publish.</summary>
    public void Unpin() => _pinned = false;

    /// <summary>Grows every per-slot array. The caller excludes readers (write lock).</summary>
    public void EnsureCapacity(int additional)
    {
        var needed = _slotCount + Math.Max(0, additional - _free.Count);
        if (needed <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(needed, _capacity * 2);
        foreach (var d in Dense)
        {
            d.EnsureCapacity(capacity);
            capacity = Math.Max(capacity, d.Vectors.Capacity);
        }

        foreach (var m in Multi)
        {
            m.EnsureCapacity(capacity);
        }

        foreach (var sp in Sparse)
        {
            sp.EnsureCapacity(capacity);
        }

        _capacity = capacity;
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
            if (!_live[slot] && !InAnyGraph(slot))
            {
                _free.Push(slot);
            }
        }
    }

    /// <summary>Slots a graph has detached become reusable (after the next recycle), unless another graph still holds them.</summary>
    public void AddDetached(IEnumerable<int> slots)
    {
        foreach (var slot in slots)
        {
            if (!InAnyGraph(slot))
            {
                _freedThisGroup.Add(slot);
            }
        }
    }

    /// <summary>Takes a free slot for a new vector; it stays invisible until <see cref="Publish"/>.</summary>
    public int AllocateSlot()
    {
        if (_free.Count > 0)
        {
            return _free.Pop();
        }

        var slot = _slotCount;
        if (slot >= _capacity)
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
        foreach (var sp in Sparse)
        {
            sp.Link(slot);
        }

        PayloadBytes += PayloadSize(payload);
        Indexes.Set(slot, payload, renewed: true);
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
        Indexes.Set(slot, payload, renewed: false);
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
        foreach (var sp in Sparse)
        {
            sp.Unlink(slot);
        }

        PayloadBytes -= PayloadSize(_payloads[slot]);
        _payloads[slot] = null;
        Indexes.Clear(slot);
        var inGraph = false;
        foreach (var d in Dense)
        {
            if (d.Graph is { } graph && graph.Contains(slot))
            {
                graph.MarkDeleted(slot);
                inGraph = true;
            }
        }

        if (!inGraph)
        {
            _freedThisGroup.Add(slot);
        }
    }

    private static int PayloadSize(JsonElement? payload) => payload is { } p ? Payload.Utf8(p).Length : 0;

    /// <summary>The dense space of that name, or null.</summary>
    public DenseSpace? DenseNamed(string name) => Array.Find(Dense, d => d.Name == name);

    public MultiSpace? MultiNamed(string name) => Array.Find(Multi, m => m.Name == name);

    public SparseSpace? SparseNamed(string name) => Array.Find(Sparse, sp => sp.Name == name);

    /// <summary>True when the point in <paramref name="slot"/> has a vector named <paramref name="name"/> (<c>""</c>: the unnamed one).</summary>
    public bool HasVector(int slot, string name)
    {
        foreach (var d in Dense)
        {
            if (d.Name == name)
            {
                return d.Has(slot);
            }
        }

        foreach (var m in Multi)
        {
            if (m.Name == name)
            {
                return m.Has(slot);
            }
        }

        foreach (var sp in Sparse)
        {
            if (sp.Name == name)
            {
                return sp.Has(slot);
            }
        }

        return false;
    }

    /// <summary>
    /// True when the point in <paramref name="slot"/> passes <paramref name="filter"/>: through the
    /// filter's plan (<see cref="Plan"/>), so indexed conditions are array lookups and full-text
    /// matches use their text index's tokenizer.
    /// </summary>
    public bool Matches(Filter filter, int slot) => Plan(filter).Predicate.Test(slot);

    /// <summary>
    /// The filter prepared against the payload indexes. The last plan is kept per thread until the
    /// table or its indexes change, so a scan that tests every slot builds it once.
    /// </summary>
    public FilterPlan Plan(Filter filter)
    {
        if (t_plan is { } cached && ReferenceEquals(cached.Filter, filter) && ReferenceEquals(cached.Table, this) &&
            cached.State == StateVersion && cached.IndexVersion == Indexes.Version)
        {
            return cached.Plan;
        }

        var plan = FilterPlan.Build(filter, Indexes, Count, f => new PayloadTest(this, f), IdTest);
        t_plan = new PlanCache(this, filter, StateVersion, Indexes.Version, plan);
        return plan;
    }

    [ThreadStatic]
    private static PlanCache? t_plan;

    private sealed record PlanCache(PointTable Table, Filter Filter, long State, long IndexVersion, FilterPlan Plan);

    /// <summary>has_id resolved to the slots of the ids present.</summary>
    private SetPredicate IdTest(HasIdCondition condition)
    {
        var slots = new HashSet<int>();
        foreach (var id in condition.Ids)
        {
            if (_slotOf.TryGetValue(id, out var slot))
            {
                slots.Add(slot);
            }
        }

        return new SetPredicate(slots);
    }

    /// <summary>A condition the indexes do not answer, evaluated on the slot's payload.</summary>
    private sealed class PayloadTest(PointTable table, Filter filter) : SlotPredicate
    {
        public override bool Test(int slot) => table.MatchesPayload(filter, slot);
    }

    /// <summary>
    /// Evaluates <paramref name="filter"/> on the slot's payload, has_vector answered from this
    /// table's spaces. One reusable view per thread: nothing is allocated per point.
    /// </summary>
    public bool MatchesPayload(Filter filter, int slot)
    {
        var view = t_vectors ??= new SlotVectors();
        view.Table = this;
        view.Slot = slot;
        return filter.Matches(_ids[slot], _payloads[slot], view);
    }

    [ThreadStatic]
    private static SlotVectors? t_vectors;

    /// <summary>has_vector for one slot of one table; reused (see <see cref="Matches"/>).</summary>
    private sealed class SlotVectors : IPointVectors
    {
        public PointTable? Table;
        public int Slot;

        public bool Has(string vectorName) => Table!.HasVector(Slot, vectorName);
    }

    /// <summary>True once the table has released its memory (the collection is closed).</summary>
    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        IsDisposed = true;
        foreach (var d in Dense)
        {
            d.Dispose();
        }
    }
}
