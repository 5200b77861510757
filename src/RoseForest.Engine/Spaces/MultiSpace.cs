namespace RoseForest.Engine.Spaces;

/// <summary>
/// One multivector of a collection: per slot, a point's sub-vectors (each of the same size,
/// flattened), compared with max_sim. Searched exactly (no graph). Writer-owned like the others.
/// </summary>
internal sealed class MultiSpace(int index, string name, VectorParams parameters, int initialCapacity)
{
    private float[]?[] _rows = new float[]?[initialCapacity];

    public int Index { get; set; } = index;

    public string Name { get; } = name;

    public VectorParams Params { get; set; } = parameters;

    public int Dimension => Params.Size;

    public long BytesAllocated { get; private set; }

    public bool Has(int slot) => (uint)slot < (uint)_rows.Length && _rows[slot] is not null;

    /// <summary>The flattened sub-vectors of a slot (count × dimension), or null.</summary>
    public float[]? Get(int slot) => (uint)slot < (uint)_rows.Length ? _rows[slot] : null;

    public void Set(int slot, float[]? flattened)
    {
        BytesAllocated += ((flattened?.Length ?? 0) - (_rows[slot]?.Length ?? 0)) * sizeof(float);
        _rows[slot] = flattened;
    }

    public void EnsureCapacity(int slots)
    {
        if (_rows.Length < slots)
        {
            Array.Resize(ref _rows, Math.Max(slots, _rows.Length * 2));
        }
    }
}
