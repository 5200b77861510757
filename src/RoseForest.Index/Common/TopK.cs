using System.Runtime.CompilerServices;

namespace RoseForest.Index.Common;

/// <summary>
/// Keeps the k best (smallest distance, then the tie-breaker's order) candidates in a
/// hand-rolled binary max-heap, the worst at the root so a better candidate replaces it in
/// O(log k).
/// </summary>
internal struct TopK<TTie>
    where TTie : struct, ITieBreaker
{
    private readonly Neighbor[] _heap;
    private readonly TTie _tie;
    private int _count;

    public TopK(int k, TTie tie)
    {
        _heap = new Neighbor[Math.Max(k, 1)];
        K = k;
        _tie = tie;
    }

    public readonly int K { get; }

    public readonly int Count => _count;

    /// <summary>The worst distance kept, or +∞ until the heap is full.</summary>
    public readonly float Threshold => _count < K ? float.PositiveInfinity : _heap[0].Distance;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offer(float distance, int slot)
    {
        if (_count < K)
        {
            _heap[_count] = new Neighbor(distance, slot);
            SiftUp(_count++);
        }
        else if (K > 0 && Worse(_heap[0], new Neighbor(distance, slot)))
        {
            _heap[0] = new Neighbor(distance, slot);
            SiftDown(0);
        }
    }

    /// <summary>The kept candidates, best first.</summary>
    public readonly Neighbor[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, _count).ToArray();
        var tie = _tie;
        Array.Sort(result, (a, b) => Compare(a, b, tie));
        return result;
    }

    private static int Compare(Neighbor a, Neighbor b, TTie tie)
    {
        var c = a.Distance.CompareTo(b.Distance);
        return c != 0 ? c : tie.Compare(a.Slot, b.Slot);
    }

    /// <summary>True when a ranks after b.</summary>
    private readonly bool Worse(Neighbor a, Neighbor b) => Compare(a, b, _tie) > 0;

    private readonly void SiftUp(int i)
    {
        var item = _heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Worse(item, _heap[parent]))
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = item;
    }

    private readonly void SiftDown(int i)
    {
        var item = _heap[i];
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && Worse(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Worse(_heap[child], item))
            {
                break;
            }

            _heap[i] = _heap[child];
            i = child;
        }

        _heap[i] = item;
    }
}
