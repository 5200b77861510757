namespace RoseForest.Engine.Adapters;

/// <summary>One feedback example kept for replay: the prepared query and the marks, by id (vectors are read again when replayed; deleted points drop out).</summary>
internal sealed record ReplayEntry(float[] Query, PointId[] Relevant, PointId[] Irrelevant);

/// <summary>A FIFO ring of feedback examples (the seed's 10,000 by default); the oldest goes when it is full. Not thread-safe: used under its adapter's lock.</summary>
internal sealed class ReplayBuffer(int capacity)
{
    private ReplayEntry[] _items = new ReplayEntry[Math.Max(0, capacity)];
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public void Add(ReplayEntry entry)
    {
        if (_items.Length == 0)
        {
            return;
        }

        if (Count < _items.Length)
        {
            _items[(_start + Count++) % _items.Length] = entry;
        }
        else
        {
            _items[_start] = entry;
            _start = (_start + 1) % _items.Length;
        }
    }

    /// <summary>The i-th entry, oldest first.</summary>
    public ReplayEntry this[int i] => _items[(_start + i) % _items.Length];

    /// <summary>Changes the capacity, keeping the newest entries.</summary>
    public void Resize(int capacity)
    {
        var keep = Math.Min(Count, capacity);
        var items = new ReplayEntry[Math.Max(0, capacity)];
        for (var i = 0; i < keep; i++)
        {
            items[i] = this[Count - keep + i];
        }

        _items = items;
        _start = 0;
        Count = keep;
    }
}
