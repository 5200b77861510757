using System.Runtime.InteropServices;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// The scratch state of one search or insert: visited marks, the frontier, the results and a
/// buffer for neighbour selection. One per thread, reused, so a query allocates nothing.
/// </summary>
internal sealed class SearchContext
{
    [ThreadStatic]
    private static SearchContext? t_current;

    private unsafe float* _query;
    private int _queryCapacity;
    private unsafe byte* _codes;
    private int _codesCapacity;
    private unsafe float* _rotated;
    private int _rotatedCapacity;
    private Common.Neighbor[] _rerank = new Common.Neighbor[64];

    public VisitedList Visited { get; } = new();

    /// <summary>Layer-0 nodes the last walk expanded (read their links): its hops. Telemetry; written once per walk.</summary>
    public int Hops;

    /// <summary>Layer-0 nodes the last walk scored (distances computed). Telemetry; written once per walk.</summary>
    public int Scored;

    /// <summary>The node where the last search's descent entered layer 0 (its region for telemetry), or −1.</summary>
    public int LayerZeroEntry = -1;

    public BinaryHeap<Closest> Candidates { get; } = new();

    public BinaryHeap<Farthest> Results { get; } = new();

    /// <summary>A filtered walk's beam of nearest nodes of any kind (its pruning bound).</summary>
    public BinaryHeap<Farthest> Beam { get; } = new();

    public List<Common.Neighbor> Selection { get; } = new(256);

    public List<Common.Neighbor> Scratch { get; } = new(256);

    public List<Common.Neighbor> Kept { get; } = new(256);

    public Common.Neighbor[] Sorted { get; set; } = new Common.Neighbor[256];

    public static SearchContext Current => t_current ??= new SearchContext();

    private int[][] _ints = [new int[64], new int[64], new int[64]];

    /// <summary>Reusable int buffer number <paramref name="which"/> (0, 1 or 2), with room for at least <paramref name="length"/>, keeping its contents when it grows.</summary>
    public int[] IntBuffer(int which, int length)
    {
        var buffer = _ints[which];
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
            _ints[which] = buffer;
        }

        return buffer;
    }

    /// <summary>The visited marks, reset for a walk over <paramref name="capacity"/> nodes.</summary>
    public VisitedList ResetVisited(int capacity)
    {
        Visited.Reset(capacity);
        return Visited;
    }

    /// <summary>The query rotated by <paramref name="rotation"/>, in a 64-byte-aligned buffer zero-padded to whole 16-float vectors.</summary>
    public unsafe float* RotatedQuery(ReadOnlySpan<float> query, Rotation.PcaRotation rotation)
    {
        var length = rotation.Padded;
        if (_rotatedCapacity < length)
        {
            if (_rotated != null)
            {
                NativeMemory.AlignedFree(_rotated);
            }

            _rotatedCapacity = length;
            _rotated = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
        }

        var buffer = new Span<float>(_rotated, length);
        query.CopyTo(buffer);
        buffer[query.Length..].Clear();
        rotation.Apply(buffer);
        return _rotated;
    }

    /// <summary>A 64-byte-aligned buffer for a quantized query's codes.</summary>
    public unsafe byte* AlignedCodes(int length)
    {
        if (_codesCapacity < length)
        {
            if (_codes != null)
            {
                NativeMemory.AlignedFree(_codes);
            }

            _codesCapacity = Math.Max(length, 64);
            _codes = (byte*)NativeMemory.AlignedAlloc((nuint)_codesCapacity, 64);
        }

        return _codes;
    }

    /// <summary>The results of the last walk, closest first, in <see cref="Sorted"/>; returns how many.</summary>
    public int DrainResultsSorted()
    {
        var found = Results.Count;
        if (Sorted.Length < found)
        {
            Sorted = new Common.Neighbor[Math.Max(found, Sorted.Length * 2)];
        }

        Results.DrainSorted(Sorted);
        return found;
    }

    /// <summary>A buffer for the candidates a quantized search re-ranks.</summary>
    public Common.Neighbor[] Rerank(int length)
    {
        if (_rerank.Length < length)
        {
            _rerank = new Common.Neighbor[Math.Max(length, _rerank.Length * 2)];
        }

        return _rerank;
    }

    /// <summary>
    /// A 64-byte-aligned copy of the query, so its 512-bit loads never straddle cache lines (a
    /// managed float[] is only 8-byte aligned). Grows as needed; one per thread, never freed.
    /// </summary>
    public unsafe ref float AlignedQuery(ReadOnlySpan<float> query)
    {
        if (_queryCapacity < query.Length)
        {
            if (_query != null)
            {
                NativeMemory.AlignedFree(_query);
            }

            _queryCapacity = Math.Max(query.Length, 64);
            _query = (float*)NativeMemory.AlignedAlloc((nuint)_queryCapacity * sizeof(float), 64);
        }

        query.CopyTo(new Span<float>(_query, query.Length));
        return ref *_query;
    }

}
