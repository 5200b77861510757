using RoseForest.Engine.Internal;

namespace RoseForest.Engine.Querying;

/// <summary>
/// Keeps the best <c>limit</c> hits offered (higher or lower scores better; equal scores by
/// lower point id), skipping those worse than a threshold; returns them best first.
/// </summary>
internal sealed class TopHits
{
    private readonly PriorityQueue<Hit, Hit> _heap;
    private readonly int _limit;
    private readonly double? _threshold;
    private readonly bool _higherIsBetter;
    private readonly IComparer<Hit> _better;

    public TopHits(PointTable table, int limit, bool higherIsBetter, double? threshold)
    {
        _limit = limit;
        _threshold = threshold;
        _higherIsBetter = higherIsBetter;
        _better = Comparer<Hit>.Create((a, b) =>
        {
            var c = higherIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score);
            return c != 0 ? c : table.IdAt(a.Slot).CompareTo(table.IdAt(b.Slot));
        });

        // The heap's top is the worst kept hit.
        _heap = new PriorityQueue<Hit, Hit>(Comparer<Hit>.Create((a, b) => _better.Compare(b, a)));
    }

    /// <summary>True when a score passes the threshold (not worse than it).</summary>
    public bool Passes(double score) => _threshold is not { } t || (_higherIsBetter ? score >= t : score <= t);

    public void Offer(Hit hit)
    {
        if (_limit <= 0 || !Passes(hit.Score))
        {
            return;
        }

        if (_heap.Count < _limit)
        {
            _heap.Enqueue(hit, hit);
        }
        else if (_better.Compare(hit, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(hit, hit);
        }
    }

    /// <summary>The kept hits, best first.</summary>
    public List<Hit> Result()
    {
        var list = new List<Hit>(_heap.Count);
        while (_heap.Count > 0)
        {
            list.Add(_heap.Dequeue());
        }

        list.Reverse();
        return list;
    }
}
