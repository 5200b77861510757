using RoseForest.Index.Hnsw;
using RoseForest.Index.Quantization;
using RoseForest.Index.Storage;

namespace RoseForest.Engine.Spaces;

/// <summary>
/// One dense vector of a collection (the unnamed one, or a named one): its vectors by slot, its
/// HNSW graph and int8 codes, and which slots hold a vector here (a point may omit a named
/// vector). Mutated by the collection's writer only; the presence flag is set in the prepare
/// phase, before the slot is live.
/// </summary>
internal sealed class DenseSpace : IDisposable
{
    private bool[] _has;

    public DenseSpace(int index, string name, VectorParams parameters, int initialCapacity)
    {
        Index = index;
        Name = name;
        Params = parameters;
        Vectors = new VectorStore(parameters.Size, initialCapacity);
        _has = new bool[Vectors.Capacity];
    }

    /// <summary>This space's position among the collection's dense spaces.</summary>
    public int Index { get; set; }

    /// <summary>The vector's name ("" for the unnamed vector).</summary>
    public string Name { get; }

    /// <summary>The effective settings; replaced (under the write lock) when the collection is changed.</summary>
    public VectorParams Params { get; set; }

    public int Dimension => Params.Size;

    public Geometry Geometry => Params.Distance;

    public double Curvature => Params.Curvature;

    /// <summary>The effective HNSW settings, or null when this vector is not indexed.</summary>
    public HnswOptions? Hnsw => Params.Hnsw is { M: > 0 } h ? h : null;

    public VectorStore Vectors { get; }

    public HnswGraph? Graph { get; set; }

    public CodeStore? Codes { get; set; }

    /// <summary>The graph's per-value links, by payload index name (keyword and integer indexes).</summary>
    public Dictionary<string, PayloadIndexes.ValueLinks> ValueLinks { get; } = new(StringComparer.Ordinal);

    public bool Has(int slot) => (uint)slot < (uint)_has.Length && _has[slot];

    public long BytesAllocated => Vectors.BytesAllocated + (Graph?.BytesAllocated ?? 0) + (Codes?.BytesAllocated ?? 0) + _has.Length;

    /// <summary>Writes a prepared vector into a slot the writer owns.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        Vectors.Set(slot, vector, Core.Spaces.GeometryMath.Aux(Geometry, Curvature, vector));
        _has[slot] = true;
    }

    /// <summary>Marks a slot as holding no vector here (a fresh slot for a point that omits this vector, or a freed slot).</summary>
    public void Clear(int slot) => _has[slot] = false;

    /// <summary>Loads a slot's vector from a snapshot (aux as stored).</summary>
    public void Load(int slot, ReadOnlySpan<float> vector, float aux)
    {
        Vectors.Set(slot, vector, aux);
        _has[slot] = true;
    }

    public void EnsureCapacity(int slots)
    {
        Vectors.EnsureCapacity(slots);
        if (_has.Length < Vectors.Capacity)
        {
            Array.Resize(ref _has, Vectors.Capacity);
        }
    }

    public void Dispose()
    {
        Codes?.Dispose();
        Graph?.Dispose();
        Vectors.Dispose();
    }
}
