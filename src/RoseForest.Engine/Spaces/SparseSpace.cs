namespace RoseForest.Engine.Spaces;

/// <summary>
/// One sparse vector of a collection: per slot, a point's sparse vector (indices sorted), and
/// an inverted index (dimension → the live slots that have it, with their values). The vectors
/// are written in the prepare phase; the index changes only when a point becomes live or stops
/// being live (under the collection's write lock), so readers always see it consistent with the
/// live points. Search is exact: every posting of the query's dimensions is visited.
/// </summary>
internal sealed class SparseSpace(int index, string name, SparseVectorParams parameters, int initialCapacity)
{
    private readonly Dictionary<uint, Postings> _index = [];
    private SparseVector?[] _rows = new SparseVector?[initialCapacity];
    private int _count;

    public int Index { get; set; } = index;

    public string Name { get; } = name;

    public SparseVectorParams Params { get; set; } = parameters;

    /// <summary>Live points that have this vector (N of the idf).</summary>
    public int Count => _count;

    public long BytesAllocated { get; private set; }

    public bool Has(int slot) => (uint)slot < (uint)_rows.Length && _rows[slot] is not null;

    public SparseVector? Get(int slot) => (uint)slot < (uint)_rows.Length ? _rows[slot] : null;

    /// <summary>Writes a prepared (sorted, validated) vector into a slot that is not live yet.</summary>
    public void Set(int slot, SparseVector? vector)
    {
        BytesAllocated += ((vector?.Indices.Length ?? 0) - (_rows[slot]?.Indices.Length ?? 0)) * (sizeof(uint) + sizeof(float));
        _rows[slot] = vector;
    }

    /// <summary>The slot became live: its vector enters the index. Under the write lock.</summary>
    public void Link(int slot)
    {
        if (_rows[slot] is not { } v)
        {
            return;
        }

        for (var i = 0; i < v.Indices.Length; i++)
        {
            if (!_index.TryGetValue(v.Indices[i], out var postings))
            {
                postings = new Postings();
                _index[v.Indices[i]] = postings;
            }

            postings.Add(slot, v.Values[i]);
        }

        _count++;
    }

    /// <summary>The slot stopped being live: its vector leaves the index (it stays readable until the slot is reused). Under the write lock.</summary>
    public void Unlink(int slot)
    {
        if (_rows[slot] is not { } v)
        {
            return;
        }

        foreach (var dimension in v.Indices)
        {
            if (_index.TryGetValue(dimension, out var postings) && postings.Remove(slot) && postings.Count == 0)
            {
                _index.Remove(dimension);
            }
        }

        _count--;
    }

    /// <summary>How many live points have a value at this dimension (n of the idf).</summary>
    public int DocumentFrequency(uint dimension) => _index.TryGetValue(dimension, out var p) ? p.Count : 0;

    /// <summary>Qdrant's idf: ln(1 + (N − n + 0.5) / (n + 0.5)).</summary>
    public double Idf(uint dimension)
    {
        var n = DocumentFrequency(dimension);
        return Math.Log(1 + ((_count - n + 0.5) / (n + 0.5)));
    }

    /// <summary>Adds weight × value to <paramref name="scores"/>[slot] for every live slot with a value at the dimension; records first touches.</summary>
    public void Accumulate(uint dimension, float weight, float[] scores, bool[] touched, List<int> touchedSlots)
    {
        if (!_index.TryGetValue(dimension, out var postings))
        {
            return;
        }

        for (var i = 0; i < postings.Count; i++)
        {
            var slot = postings.Slots[i];
            scores[slot] += weight * postings.Values[i];
            if (!touched[slot])
            {
                touched[slot] = true;
                touchedSlots.Add(slot);
            }
        }
    }

    public void EnsureCapacity(int slots)
    {
        if (_rows.Length < slots)
        {
            Array.Resize(ref _rows, Math.Max(slots, _rows.Length * 2));
        }
    }

    /// <summary>One dimension's posting list (unordered; removal swaps the last entry in).</summary>
    private sealed class Postings
    {
        public int[] Slots = new int[4];
        public float[] Values = new float[4];
        public int Count;

        public void Add(int slot, float value)
        {
            if (Count == Slots.Length)
            {
                Array.Resize(ref Slots, Count * 2);
                Array.Resize(ref Values, Count * 2);
            }

            Slots[Count] = slot;
            Values[Count] = value;
            Count++;
        }

        public bool Remove(int slot)
        {
            var i = Array.IndexOf(Slots, slot, 0, Count);
            if (i < 0)
            {
                return false;
            }

            Count--;
            Slots[i] = Slots[Count];
            Values[i] = Values[Count];
            return true;
        }
    }
}
