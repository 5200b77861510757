using System.Text.Json;
using RoseForest.Embeddings.Sparse;
using RoseForest.Embeddings.Text;

namespace RoseForest.Memory;

/// <summary>
/// An in-memory inverted index scored with BM25 exactly (the document weights use the current
/// average length at query time, so nothing drifts as memories come and go). Terms come from
/// RoseForest.Embeddings' tokenizer with English stop words removed, folded by <see cref="SStemmer"/>, ids from its FNV-1a term
/// hash, weights and idf from <see cref="Bm25Encoder"/>'s formulas (Qdrant's idf). Thread-safe:
/// one lock around every call.
/// </summary>
public sealed class Bm25KeywordIndex : IKeywordIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, int> _slots = [];
    private readonly List<Entry?> _entries = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<uint, Dictionary<int, int>> _postings = [];
    private readonly TextTokenizer _tokenizer;
    private readonly Bm25Options _bm25;
    private long _totalLength;

    /// <summary>Creates an empty index.</summary>
    public Bm25KeywordIndex(Bm25Options? bm25 = null, TextTokenizer? tokenizer = null)
    {
        _bm25 = bm25 ?? Bm25Options.Default;
        _tokenizer = tokenizer ?? new TextTokenizer(new TextTokenizerOptions { RemoveEnglishStopWords = true });
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Upsert(Guid id, string text, JsonElement view)
    {
        var terms = Terms(text);
        lock (_gate)
        {
            RemoveLocked(id);
            var slot = _free.Count > 0 ? _free.Pop() : _entries.Count;
            if (slot == _entries.Count)
            {
                _entries.Add(null);
            }

            var length = 0;
            foreach (var (term, tf) in terms)
            {
                length += tf;
                if (!_postings.TryGetValue(term, out var list))
                {
                    _postings[term] = list = [];
                }

                list[slot] = tf;
            }

            _entries[slot] = new Entry(id, length, [.. terms.Keys], view);
            _slots[id] = slot;
            _totalLength += length;
        }
    }

    /// <inheritdoc />
    public bool UpdateView(Guid id, JsonElement view)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(id, out var slot))
            {
                return false;
            }

            _entries[slot] = _entries[slot]! with { View = view };
            return true;
        }
    }

    /// <inheritdoc />
    public bool Remove(Guid id)
    {
        lock (_gate)
        {
            return RemoveLocked(id);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<KeywordHit> Search(string query, int limit, Func<Guid, JsonElement, bool>? accept = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var queryTerms = Terms(query).Keys.ToArray();
        lock (_gate)
        {
            if (queryTerms.Length == 0 || _slots.Count == 0 || limit == 0)
            {
                return [];
            }

            var average = (double)_totalLength / _slots.Count;
            var scores = new Dictionary<int, double>();
            foreach (var term in queryTerms)
            {
                if (!_postings.TryGetValue(term, out var list))
                {
                    continue;
                }

                var idf = Bm25Encoder.Idf(_slots.Count, list.Count);
                foreach (var (slot, tf) in list)
                {
                    var weight = Bm25Encoder.TermWeight(tf, _entries[slot]!.Length, average, _bm25.K1, _bm25.B);
                    scores[slot] = scores.GetValueOrDefault(slot) + idf * weight;
                }
            }

            var ranked = scores.ToList();
            ranked.Sort(static (x, y) => y.Value != x.Value ? y.Value.CompareTo(x.Value) : x.Key.CompareTo(y.Key));
            var hits = new List<KeywordHit>(Math.Min(limit, ranked.Count));
            var queryWeight = QueryWeight(queryTerms);
            foreach (var (slot, score) in ranked)
            {
                var entry = _entries[slot]!;
                if (accept is not null && !accept(entry.Id, entry.View))
                {
                    continue;
                }

                hits.Add(new KeywordHit(entry.Id, score, Coverage(queryTerms, queryWeight, slot)));
                if (hits.Count == limit)
                {
                    break;
                }
            }

            return hits;
        }
    }

    /// <inheritdoc />
    public KeywordHit Score(string query, Guid id)
    {
        var queryTerms = Terms(query).Keys.ToArray();
        lock (_gate)
        {
            if (queryTerms.Length == 0 || !_slots.TryGetValue(id, out var slot))
            {
                return new KeywordHit(id, 0, 0);
            }

            var average = (double)_totalLength / _slots.Count;
            double score = 0;
            foreach (var term in queryTerms)
            {
                if (_postings.TryGetValue(term, out var list) && list.TryGetValue(slot, out var tf))
                {
                    score += Bm25Encoder.Idf(_slots.Count, list.Count) * Bm25Encoder.TermWeight(tf, _entries[slot]!.Length, average, _bm25.K1, _bm25.B);
                }
            }

            return new KeywordHit(id, score, Coverage(queryTerms, QueryWeight(queryTerms), slot));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Guid> Select(Func<Guid, JsonElement, bool> accept)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e is not null && accept(e.Id, e.View)).Select(e => e!.Id)];
        }
    }

    private Dictionary<uint, int> Terms(string text)
    {
        var counts = new Dictionary<uint, int>();
        foreach (var token in _tokenizer.Tokenize(text))
        {
            var id = TermHash.Fnv1a32(SStemmer.Stem(token));
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    private double QueryWeight(uint[] queryTerms)
    {
        double total = 0;
        foreach (var term in queryTerms)
        {
            total += Bm25Encoder.Idf(_slots.Count, _postings.TryGetValue(term, out var list) ? list.Count : 0);
        }

        return total;
    }

    private double Coverage(uint[] queryTerms, double queryWeight, int slot)
    {
        double covered = 0;
        foreach (var term in queryTerms)
        {
            if (_postings.TryGetValue(term, out var list) && list.ContainsKey(slot))
            {
                covered += Bm25Encoder.Idf(_slots.Count, list.Count);
            }
        }

        return queryWeight > 0 ? covered / queryWeight : 0;
    }

    private bool RemoveLocked(Guid id)
    {
        if (!_slots.Remove(id, out var slot))
        {
            return false;
        }

        var entry = _entries[slot]!;
        foreach (var term in entry.Terms)
        {
            var list = _postings[term];
            list.Remove(slot);
            if (list.Count == 0)
            {
                _postings.Remove(term);
            }
        }

        _totalLength -= entry.Length;
        _entries[slot] = null;
        _free.Push(slot);
        return true;
    }

    private sealed record Entry(Guid Id, int Length, uint[] Terms, JsonElement View);
}
