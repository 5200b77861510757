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
    private unsafe float* _projection;
    private int _projectionCapacity;
    private Common.Neighbor[] _rerank = new Common.Neighbor[64];

    private int[] _fresh = new int[64];

    public VisitedList Visited { get; } = new();

    /// <summary>A buffer for one expansion's unvisited neighbours (at least <paramref name="length"/> ints).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ref int Fresh(int length)
    {
        if (_fresh.Length < length)
        {
            _fresh = new int[Math.Max(length, _fresh.Length * 2)];
        }

        return ref MemoryMarshal.GetArrayDataReference(_fresh);
    }

    public BinaryHeap<Closest> Candidates { get; } = new();

    public BinaryHeap<Farthest> Results { get; } = new();

    /// <summary>A filtered walk's beam of nearest nodes of any kind (its pruning bound).</summary>
    public BinaryHeap<Farthest> Beam { get; } = new();

    public List<Common.Neighbor> Selection { get; } = new(256);

    public List<Common.Neighbor> Scratch { get; } = new(256);

    public List<Common.Neighbor> Kept { get; } = new(256);

    public Common.Neighbor[] Sorted { get; set; } = new Common.Neighbor[256];

    public static SearchContext Current => t_current ??= new SearchContext();

    /// <summary>A 64-byte-aligned buffer for a query's projection row (see <see cref="Bounds.ProjectionStore"/>).</summary>
    public unsafe float* AlignedProjection(int length)
    {
        if (_projectionCapacity < length)
        {
            if (_projection != null)
            {
                NativeMemory.AlignedFree(_projection);
            }

            _projectionCapacity = Math.Max(length, 16);
            _projection = (float*)NativeMemory.AlignedAlloc((nuint)_projectionCapacity * sizeof(float), 64);
        }

        return _projection;
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
