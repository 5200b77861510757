using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Sparse;

/// <summary>
/// Textbook BM25 over raw tokens (no hashing, no sparse vectors), to check the sparse path against:
/// <c>score(q, d) = Σ_{t ∈ q, distinct} idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))</c>.
/// In memory, brute force, not thread-safe.
/// </summary>
public sealed class Bm25ReferenceScorer
{
    private readonly Dictionary<long, Dictionary<string, int>> _termCounts = [];
    private readonly Dictionary<long, int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private long _totalTokens;

    /// <summary>Creates a scorer with the given parameters and tokenizer (defaults when null).</summary>
    public Bm25ReferenceScorer(Bm25Options? options = null, TextTokenizer? tokenizer = null)
    {
        Options = options ?? Bm25Options.Default;
        Options.Validate();
        Tokenizer = tokenizer ?? TextTokenizer.Default;
    }

    /// <summary>The BM25 parameters.</summary>
    public Bm25Options Options { get; }

    /// <summary>The tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>The number of documents.</summary>
    public int Count => _lengths.Count;

    /// <summary>The average document length used for scoring.</summary>
    public double AverageDocumentLength => Options.AverageDocumentLength ?? (Count == 0 ? 0 : (double)_totalTokens / Count);

    /// <summary>Adds document <paramref name="id"/>; an id can be added once.</summary>
    public void Add(long id, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_lengths.ContainsKey(id))
        {
            throw new ArgumentException($"document {id} is already present", nameof(id));
        }
        List<string> tokens = Tokenizer.Tokenize(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string token in tokens)
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        foreach (string term in counts.Keys)
        {
            _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
        }
        _termCounts[id] = counts;
        _lengths[id] = tokens.Count;
        _totalTokens += tokens.Count;
    }

    /// <summary>The BM25 score of document <paramref name="id"/> for <paramref name="query"/>.</summary>
    public double Score(string query, long id)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!_termCounts.TryGetValue(id, out Dictionary<string, int>? counts))
        {
            return 0;
        }
        double average = AverageDocumentLength;
        double sum = 0;
        foreach (string term in Tokenizer.Tokenize(query).Distinct(StringComparer.Ordinal))
        {
            if (counts.TryGetValue(term, out int tf))
            {
                double idf = Bm25Encoder.Idf(Count, _documentFrequency[term]);
                sum += idf * Bm25Encoder.TermWeight(tf, _lengths[id], average, Options.K1, Options.B);
            }
        }
        return sum;
    }

    /// <summary>The <paramref name="limit"/> best documents holding a query term, best first; ties to the smaller id.</summary>
    public List<ScoredDocument> Search(string query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var terms = Tokenizer.Tokenize(query).ToHashSet(StringComparer.Ordinal);
        var hits = new List<ScoredDocument>();
        foreach ((long id, Dictionary<string, int> counts) in _termCounts)
        {
            if (counts.Keys.Any(terms.Contains))
            {
                hits.Add(new ScoredDocument(id, Score(query, id)));
            }
        }
        hits.Sort(static (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Id.CompareTo(y.Id));
        return hits.Count > limit ? hits.GetRange(0, limit) : hits;
    }
}
