namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// A dot store: entries keyed by their dot, indexed by key. The causal join (Almeida, Shoker and
/// Baquero, "Delta state replicated data types", 2018) keeps an entry present on both sides, or on
/// one side when the other side's context has not seen its dot; an entry whose dot the other side
/// has seen and no longer holds was removed there and is dropped here. Entries with the same dot are
/// identical by construction, so the join is commutative, associative and idempotent.
/// </summary>
internal sealed class DotKernel<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<Dot, KernelEntry<TKey, TValue>> _entries = [];
    private readonly Dictionary<TKey, HashSet<Dot>> _byKey = [];

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.Count == 0;

    public IEnumerable<KernelEntry<TKey, TValue>> Entries => _entries.Values;

    public IEnumerable<TKey> Keys => _byKey.Keys;

    public bool ContainsDot(Dot dot) => _entries.ContainsKey(dot);

    public IEnumerable<KernelEntry<TKey, TValue>> EntriesOf(TKey key)
        => _byKey.TryGetValue(key, out var dots) ? dots.Select(d => _entries[d]) : [];

    public IEnumerable<Dot> DotsOf(TKey key) => _byKey.TryGetValue(key, out var dots) ? dots : [];

    /// <summary>The entry with the largest stamp for a key: the last-writer-wins reading.</summary>
    public bool TryGetWinner(TKey key, out KernelEntry<TKey, TValue> winner)
    {
        winner = default;
        var found = false;
        foreach (var entry in EntriesOf(key))
        {
            if (!found || entry.Stamp > winner.Stamp)
            {
                winner = entry;
                found = true;
            }
        }

        return found;
    }

    public void Add(KernelEntry<TKey, TValue> entry)
    {
        if (_entries.TryAdd(entry.Dot, entry))
        {
            if (!_byKey.TryGetValue(entry.Key, out var dots))
            {
                dots = [];
                _byKey[entry.Key] = dots;
            }

            dots.Add(entry.Dot);
        }
    }

    public bool Remove(Dot dot)
    {
        if (!_entries.Remove(dot, out var entry))
        {
            return false;
        }

        var dots = _byKey[entry.Key];
        dots.Remove(dot);
        if (dots.Count == 0)
        {
            _byKey.Remove(entry.Key);
        }

        return true;
    }

    /// <summary>Joins <paramref name="other"/> into this kernel; the contexts are joined by the caller afterwards.</summary>
    /// <returns>True when an entry was added or removed.</returns>
    public bool Join(DotKernel<TKey, TValue> other, DotContext mine, DotContext theirs)
    {
        var changed = false;
        foreach (var entry in other._entries.Values)
        {
            if (!_entries.ContainsKey(entry.Dot) && !mine.Contains(entry.Dot))
            {
                Add(entry);
                changed = true;
            }
        }

        List<Dot>? removed = null;
        foreach (var dot in _entries.Keys)
        {
            if (!other._entries.ContainsKey(dot) && theirs.Contains(dot))
            {
                (removed ??= []).Add(dot);
            }
        }

        if (removed is not null)
        {
            foreach (var dot in removed)
            {
                Remove(dot);
            }

            changed = true;
        }

        return changed;
    }

    public DotKernel<TKey, TValue> Clone()
    {
        var copy = new DotKernel<TKey, TValue>();
        foreach (var entry in _entries.Values)
        {
            copy.Add(entry);
        }

        return copy;
    }

    /// <summary>Entries in dot order, the order canonical forms list them in.</summary>
    public IEnumerable<KernelEntry<TKey, TValue>> Ordered() => _entries.Values.OrderBy(e => e.Dot);
}
