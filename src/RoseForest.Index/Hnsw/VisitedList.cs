using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// Which nodes a search has seen, reset in O(1): each search bumps a 16-bit epoch, and a node
/// is visited when its mark equals the epoch. Only when the epoch wraps is the array cleared.
/// </summary>
internal sealed class VisitedList
{
    private ushort[] _marks = [];
    private ushort _epoch;

    public int Capacity => _marks.Length;

    public void Reset(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new ushort[Math.Max(capacity, _marks.Length * 2)];
            _epoch = 0;
        }

        if (++_epoch == 0)
        {
            Array.Clear(_marks);
            _epoch = 1;
        }
    }

    /// <summary>Marks the node; returns false when it was already marked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryVisit(int node)
    {
        ref var mark = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_marks), node);
        if (mark == _epoch)
        {
            return false;
        }

        mark = _epoch;
        return true;
    }

    /// <summary>True when the node is marked (without marking it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsVisited(int node) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_marks), node) == _epoch;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ushort MarkRef(int node) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_marks), node);
}
