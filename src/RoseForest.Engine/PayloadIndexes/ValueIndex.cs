using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// An index of discrete values (keywords, integers, numbers, bools, datetimes, UUIDs): each
/// distinct value gets an id and a posting (the slots holding it); each slot keeps its value ids
/// (the first inline, more in a small array), so a test is an array read and an integer compare.
/// Ordered types also keep their distinct values sorted, for ranges.
/// </summary>
internal abstract class ValueIndex<T> : FieldIndex, IValueBlocks
    where T : notnull
{
    /// <summary>Above this many distinct values in a range, its size is interpolated instead of counted.</summary>
    private const int MaxCountedValues = 4096;

    private readonly Dictionary<T, int> _ids;
    private readonly List<T> _valueOf = [];
    private readonly List<HashSet<int>?> _postings = [];
    private readonly Stack<int> _freeIds = new();
    private readonly SortedSet<T>? _sorted;
    private readonly List<T> _scratch = [];
    private int[] _first = [];
    private int[]?[] _more = [];
    private bool[] _unrepresented = [];
    private long _points;
    private long _multiValued;
    private long _unrepresentedSlots;

    protected ValueIndex(PayloadPath key, PayloadIndexParams schema, IEqualityComparer<T>? equality, IComparer<T>? order)
        : base(key, schema)
    {
        _ids = new Dictionary<T, int>(equality);
        _sorted = order is null ? null : new SortedSet<T>(order);
    }

    public override long Points => _points;

    /// <summary>Whether a payload value is one this index holds, and as what.</summary>
    protected abstract bool TryRead(JsonElement value, out T result);

    /// <summary>
    /// A value this index cannot hold but a range over the field would test (a float in an
    /// integer index): while any point has one, ranges are evaluated on payloads.
    /// </summary>
    protected virtual bool IsUnrepresented(JsonElement value) => false;

    /// <summary>A position for interpolating range sizes (ordered types).</summary>
    protected virtual double Position(T value) => 0;

    public override void Set(int slot, JsonElement? payload, bool renewed)
    {
        var values = _scratch;
        values.Clear();
        var unrepresented = false;
        foreach (var v in ValuesOf(payload))
        {
            if (TryRead(v, out var value))
            {
                if (!values.Contains(value, _ids.Comparer))
                {
                    values.Add(value);
                }
            }
            else
            {
                unrepresented |= IsUnrepresented(v);
            }
        }

        EnsureSlot(slot);
        SetUnrepresented(slot, unrepresented);
        if (!renewed && SameValues(slot, values))
        {
            return;
        }

        // Old postings go first, so a value the slot keeps is not freed while it is re-added.
        RemoveIds(slot);
        if (values.Count > 0)
        {
            _points++;
            _first[slot] = IdFor(values[0]);
            if (values.Count > 1)
            {
                var more = new int[values.Count - 1];
                for (var i = 1; i < values.Count; i++)
                {
                    more[i - 1] = IdFor(values[i]);
                }

                _more[slot] = more;
                _multiValued++;
            }

            (_postings[_first[slot]] ??= []).Add(slot);
            foreach (var id in _more[slot] ?? [])
            {
                (_postings[id] ??= []).Add(slot);
            }
        }

        MarkChanged(slot, renewed);
    }

    public override void Clear(int slot)
    {
        if (slot >= _first.Length)
        {
            return;
        }

        SetUnrepresented(slot, false);
        if (_first[slot] >= 0)
        {
            RemoveIds(slot);
            MarkChanged(slot, renewed: false);
        }
    }

    public override IndexedCondition? TryAnswer(FieldCondition c, long total)
    {
        var clauses = (c.MatchClause is null ? 0 : 1) + (c.RangeClause is null ? 0 : 1) + (c.DatetimeRangeClause is null ? 0 : 1) +
            (c.GeoRadiusClause is null ? 0 : 1) + (c.GeoBoundingBoxClause is null ? 0 : 1) + (c.GeoPolygonClause is null ? 0 : 1);
        if (clauses != 1 || c.ValuesCountRange is not null || c.IsEmptyFlag is not null || c.IsNullFlag is not null)
        {
            return null;
        }

        if (c.MatchClause is { } match)
        {
            return TryMatch(match) is { } values ? AnswerValues(values) : TryCustomMatch(match, total);
        }

        return _unrepresentedSlots == 0 && TryRange(c) is { } range ? AnswerRange(range, total) : null;
    }

    /// <summary>The values a match clause accepts when it is exactly "the value is one of these" for this type, else null.</summary>
    protected abstract IReadOnlyList<T>? TryMatch(Match match);

    /// <summary>A match this index answers otherwise (a keyword prefix), or null.</summary>
    protected virtual IndexedCondition? TryCustomMatch(Match match, long total) => null;

    /// <summary>The range of a range clause over this type, or null when the clause is of another kind.</summary>
    protected virtual ValueRange? TryRange(FieldCondition condition) => null;

    private IndexedCondition AnswerValues(IReadOnlyList<T> values)
    {
        var ids = new List<int>(values.Count);
        foreach (var v in values)
        {
            if (_ids.TryGetValue(v, out var id) && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return new IndexedCondition(ConstantPredicate.False, Cardinality.Exact(0, []));
        }

        var parts = ids.Select(id => Cardinality.Exact(_postings[id]!.Count, [new SetSource(_postings[id]!)])).ToList();
        var predicate = ids.Count == 1 ? (SlotPredicate)new HoldsOne(this, ids[0]) : new HoldsAny(this, Mask(ids));
        return new IndexedCondition(predicate, Cardinality.Any(parts, _points));
    }

    private IndexedCondition AnswerRange(ValueRange range, long total)
    {
        var predicate = new InRange(this, range.Contains);
        if (_sorted is null || _sorted.Count == 0)
        {
            return new IndexedCondition(predicate, _sorted is null ? Cardinality.Unknown(total) : Cardinality.Exact(0, []));
        }

        var comparer = _sorted.Comparer;
        var lo = range.HasLow && comparer.Compare(range.Low, _sorted.Min!) > 0 ? range.Low : _sorted.Min!;
        var hi = range.HasHigh && comparer.Compare(range.High, _sorted.Max!) < 0 ? range.High : _sorted.Max!;
        if (comparer.Compare(lo, hi) > 0)
        {
            return new IndexedCondition(predicate, Cardinality.Exact(0, []));
        }

        long pairs = 0;
        long largest = 0;
        var counted = 0;
        var sources = new List<SlotSource>();
        foreach (var value in _sorted.GetViewBetween(lo, hi))
        {
            if (++counted > MaxCountedValues)
            {
                // Too many distinct values to count per query: interpolate over the value span.
                var span = Position(_sorted.Max!) - Position(_sorted.Min!);
                var fraction = span <= 0 ? 1 : Math.Clamp((Position(hi) - Position(lo)) / span, 0, 1);
                var guess = (long)(fraction * _points);
                return new IndexedCondition(predicate, new Cardinality(0, guess, _points));
            }

            if (!range.Contains(value))
            {
                continue;
            }

            var posting = _postings[_ids[value]]!;
            pairs += posting.Count;
            largest = Math.Max(largest, posting.Count);
            sources.Add(new SetSource(posting));
        }

        var card = _multiValued == 0
            ? Cardinality.Exact(pairs, [.. sources])
            : new Cardinality(largest, Math.Min(pairs, _points), Math.Min(pairs, _points), [.. sources]);
        return new IndexedCondition(predicate, card);
    }

    private bool[] Mask(List<int> ids)
    {
        var mask = new bool[_valueOf.Count];
        foreach (var id in ids)
        {
            mask[id] = true;
        }

        return mask;
    }

    // IValueBlocks

    public void ValueIds(int slot, List<int> ids)
    {
        ids.Clear();
        if (slot >= _first.Length || _first[slot] < 0)
        {
            return;
        }

        ids.Add(_first[slot]);
        if (_more[slot] is { } more)
        {
            ids.AddRange(more);
        }
    }

    public int CountOf(int valueId) => valueId < _postings.Count ? _postings[valueId]?.Count ?? 0 : 0;

    public bool Holds(int slot, int valueId)
    {
        if ((uint)slot >= (uint)_first.Length)
        {
            return false;
        }

        return _first[slot] == valueId || (_more[slot] is { } more && Array.IndexOf(more, valueId) >= 0);
    }

    public IReadOnlyCollection<int> SlotsOf(int valueId) => (IReadOnlyCollection<int>?)_postings[valueId] ?? [];

    public IEnumerable<int> ValueIdsInUse => _ids.Values;

    public string ValueText(int valueId) => JsonSerializer.Serialize<object>(_valueOf[valueId]);

    public int IdOfText(string text)
    {
        try
        {
            var element = JsonElement.Parse(text);
            return TryRead(element, out var value) && _ids.TryGetValue(value, out var id) ? id : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private int IdFor(T value)
    {
        if (_ids.TryGetValue(value, out var id))
        {
            return id;
        }

        if (_freeIds.TryPop(out id))
        {
            _valueOf[id] = value;
        }
        else
        {
            id = _valueOf.Count;
            _valueOf.Add(value);
            _postings.Add(null);
        }

        _ids[value] = id;
        _sorted?.Add(value);
        return id;
    }

    private void FreeId(int id)
    {
        var value = _valueOf[id];
        if (_ids.Remove(value))
        {
            _sorted?.Remove(value);
            _postings[id] = null;
            _freeIds.Push(id);
        }
    }

    private bool SameValues(int slot, List<T> values)
    {
        if (_first[slot] < 0)
        {
            return values.Count == 0;
        }

        var more = _more[slot];
        if (values.Count != 1 + (more?.Length ?? 0))
        {
            return false;
        }

        foreach (var v in values)
        {
            if (!_ids.TryGetValue(v, out var id) || !Holds(slot, id))
            {
                return false;
            }
        }

        return true;
    }

    private void RemoveIds(int slot)
    {
        var first = _first[slot];
        if (first < 0)
        {
            return;
        }

        Drop(first, slot);
        if (_more[slot] is { } more)
        {
            foreach (var id in more)
            {
                Drop(id, slot);
            }

            _multiValued--;
        }

        _first[slot] = -1;
        _more[slot] = null;
        _points--;
    }

    private void Drop(int id, int slot)
    {
        var posting = _postings[id]!;
        posting.Remove(slot);
        if (posting.Count == 0)
        {
            FreeId(id);
        }
    }

    private void SetUnrepresented(int slot, bool value)
    {
        if (_unrepresented[slot] != value)
        {
            _unrepresented[slot] = value;
            _unrepresentedSlots += value ? 1 : -1;
        }
    }

    private void EnsureSlot(int slot)
    {
        if (slot < _first.Length)
        {
            return;
        }

        var size = Math.Max(slot + 1, Math.Max(1024, _first.Length * 2));
        var old = _first.Length;
        Array.Resize(ref _first, size);
        _first.AsSpan(old).Fill(-1);
        Array.Resize(ref _more, size);
        Array.Resize(ref _unrepresented, size);
    }

    /// <summary>A range over this index's type: bounds for the sorted view (null: open) and the exact test.</summary>
    protected sealed record ValueRange(bool HasLow, T Low, bool HasHigh, T High, Func<T, bool> Contains);

    private sealed class HoldsOne(ValueIndex<T> index, int id) : SlotPredicate
    {
        public override bool Test(int slot)
        {
            var first = index._first;
            if ((uint)slot >= (uint)first.Length)
            {
                return false;
            }

            var f = first[slot];
            return f == id || (f >= 0 && index._more[slot] is { } more && Array.IndexOf(more, id) >= 0);
        }
    }

    private sealed class HoldsAny(ValueIndex<T> index, bool[] mask) : SlotPredicate
    {
        public override bool Test(int slot)
        {
            var first = index._first;
            if ((uint)slot >= (uint)first.Length)
            {
                return false;
            }

            var f = first[slot];
            if (f < 0)
            {
                return false;
            }

            if (f < mask.Length && mask[f])
            {
                return true;
            }

            if (index._more[slot] is { } more)
            {
                foreach (var id in more)
                {
                    if (id < mask.Length && mask[id])
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private sealed class InRange(ValueIndex<T> index, Func<T, bool> contains) : SlotPredicate
    {
        public override bool Test(int slot)
        {
            var first = index._first;
            if ((uint)slot >= (uint)first.Length || first[slot] < 0)
            {
                return false;
            }

            if (contains(index._valueOf[first[slot]]))
            {
                return true;
            }

            if (index._more[slot] is { } more)
            {
                foreach (var id in more)
                {
                    if (contains(index._valueOf[id]))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>A predicate over the values a slot holds (a keyword prefix).</summary>
    protected SlotPredicate AnyValue(Func<T, bool> test) => new InRange(this, test);
}

/// <summary>A predicate that ignores the slot.</summary>
internal sealed class ConstantPredicate(bool value) : SlotPredicate
{
    public static readonly ConstantPredicate True = new(true);
    public static readonly ConstantPredicate False = new(false);

    public bool Value => value;

    public override bool Test(int slot) => value;
}
