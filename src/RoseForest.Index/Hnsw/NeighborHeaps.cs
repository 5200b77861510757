using System.Runtime.CompilerServices;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

/// <summary>A binary min-heap of (distance, node): the search frontier, closest on top.</summary>
internal sealed class MinHeap
{
    private Neighbor[] _items = new Neighbor[64];

    public int Count { get; private set; }

    public Neighbor Top => _items[0];

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
            if (items[parent].Distance <= distance)
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

            if (child + 1 < n && items[child + 1].Distance < items[child].Distance)
            {
                child++;
            }

            if (items[child].Distance >= last.Distance)
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
}

/// <summary>A binary max-heap of (distance, node): the best results so far, the worst on top.</summary>
internal sealed class MaxHeap
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
            if (items[parent].Distance >= distance)
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

            if (child + 1 < n && items[child + 1].Distance > items[child].Distance)
            {
                child++;
            }

            if (items[child].Distance <= last.Distance)
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

    /// <summary>Empties the heap into <paramref name="destination"/>, closest first; returns the count.</summary>
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
