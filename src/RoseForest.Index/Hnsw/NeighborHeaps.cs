using System.Runtime.CompilerServices;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

/// <summary>Which of two distances belongs nearer the top of a heap.</summary>
internal interface IHeapOrder
{
    /// <summary>True when <paramref name="a"/> must sit above <paramref name="b"/>.</summary>
    static abstract bool Above(float a, float b);
}

/// <summary>Smallest distance on top: the search frontier.</summary>
internal readonly struct Closest : IHeapOrder
{
    public static bool Above(float a, float b) => a < b;
}

/// <summary>Largest distance on top: the kept results, worst first out.</summary>
internal readonly struct Farthest : IHeapOrder
{
    public static bool Above(float a, float b) => a > b;
}

/// <summary>
/// A hand-rolled binary heap of (distance, node), its order a struct type parameter so the
/// comparisons inline; the array grows and is reused across searches.
/// </summary>
internal sealed class BinaryHeap<TOrder>
    where TOrder : struct, IHeapOrder
{
    private Neighbor[] _items = new Neighbor[64];

    public int Count { get; private set; }

    public Neighbor Top => _items[0];

    public ReadOnlySpan<Neighbor> Items => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float distance, int node)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var i = Count++;
        var items = _items;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!TOrder.Above(distance, items[parent].Distance))
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = new Neighbor(distance, node);
    }

    public Neighbor Pop()
    {
        var items = _items;
        var top = items[0];
        var last = items[--Count];
        var i = 0;
        var n = Count;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && TOrder.Above(items[child + 1].Distance, items[child].Distance))
            {
                child++;
            }

            if (!TOrder.Above(items[child].Distance, last.Distance))
            {
                break;
            }

            items[i] = items[child];
            i = child;
        }

        if (n > 0)
        {
            items[i] = last;
        }

        return top;
    }

    /// <summary>
    /// Empties the heap into <paramref name="destination"/> in pop order reversed (for the
    /// results heap: closest first); returns the count.
    /// </summary>
    public int DrainSorted(Span<Neighbor> destination)
    {
        var n = Count;
        for (var i = n - 1; i >= 0; i--)
        {
            var item = Pop();
            if (i < destination.Length)
            {
                destination[i] = item;
            }
        }

        return Math.Min(n, destination.Length);
    }
}
