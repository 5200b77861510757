using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Sparse;

/// <summary>
/// Turns text into BM25 sparse vectors split the way Qdrant's <c>idf</c> modifier expects: the
/// document side carries the term-frequency part, the query side carries 1 per distinct term, and
/// the inverse document frequency is applied at search time from the collection's own counts.
/// </summary>
/// <remarks>
/// <para>Document value for term t: <c>tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))</c>, where tf is
/// t's count in the document, dl the document's token count and avgdl the average token count
/// (<see cref="Bm25Options.AverageDocumentLength"/> when set, else the running average of the
/// documents encoded so far, this one included). Query value: 1. Score with the idf modifier:
/// <c>Σ query_t · idf_t · document_t</c> with <c>idf_t = ln(1 + (N − n_t + 0.5)/(n_t + 0.5))</c>, N the
/// number of documents and n_t the number holding t: exactly BM25.</para>
/// <para>Indices are <see cref="TermHash.Fnv1a32(ReadOnlySpan{char})"/> of the token. With a running
/// average, a vector encoded early used a smaller corpus's avgdl; re-encode documents (or fix the
/// average) when that drift matters. Thread-safe: the statistics are updated under a lock.</para>
/// </remarks>
public sealed class Bm25Encoder
{
    private readonly Lock _gate = new();
    private long _documents;
    private long _tokens;

    /// <summary>Creates an encoder; the tokenizer defaults to <see cref="TextTokenizer.Default"/>.</summary>
    public Bm25Encoder(Bm25Options? options = null, TextTokenizer? tokenizer = null)
    {
        Options = options ?? Bm25Options.Default;
        Options.Validate();
        Tokenizer = tokenizer ?? TextTokenizer.Default;
    }

    /// <summary>The BM25 parameters.</summary>
    public Bm25Options Options { get; }

    /// <summary>The tokenizer, shared by documents and queries.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>Documents counted in the statistics.</summary>
    public long DocumentCount
    {
        get
        {
            lock (_gate)
            {
                return _documents;
            }
        }
    }

    /// <summary>Tokens of all documents counted in the statistics.</summary>
    public long TotalTokens
    {
        get
        {
            lock (_gate)
            {
                return _tokens;
            }
        }
    }

    /// <summary>The fixed average document length, or the running one (0 before any document).</summary>
    public double AverageDocumentLength
    {
        get
        {
            lock (_gate)
            {
                return AverageLocked();
            }
        }
    }

    /// <summary>Encodes a document and counts it in the statistics (an insert).</summary>
    public SparseVector EncodeDocument(string text) => EncodeDocument(text, addToStatistics: true);

    /// <summary>
    /// Encodes a document; with <paramref name="addToStatistics"/> false the statistics are read
    /// but not changed (re-encoding a document already counted).
    /// </summary>
    public SparseVector EncodeDocument(string text, bool addToStatistics)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string> tokens = Tokenizer.Tokenize(text);
        double average;
        lock (_gate)
        {
            if (addToStatistics)
            {
                _documents++;
                _tokens += tokens.Count;
            }
            average = AverageLocked();
        }
        var counts = new Dictionary<uint, int>();
        foreach (string token in tokens)
        {
            uint id = TermHash.Fnv1a32(token);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var weights = new Dictionary<uint, float>(counts.Count);
        foreach ((uint id, int tf) in counts)
        {
            weights[id] = (float)TermWeight(tf, tokens.Count, average, Options.K1, Options.B);
        }
        return SparseVector.FromAccumulated(weights);
    }

    /// <summary>Takes a document out of the statistics (a delete, or the old text of an update).</summary>
    public void ForgetDocument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = Tokenizer.Tokenize(text).Count;
        lock (_gate)
        {
            if (_documents == 0 || _tokens < length)
            {
                throw new InvalidOperationException("the document was never counted in these statistics");
            }
            _documents--;
            _tokens -= length;
        }
    }

    /// <summary>Encodes a query: 1 for each distinct term. The statistics are not touched.</summary>
    public SparseVector EncodeQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weights = new Dictionary<uint, float>();
        foreach (string token in Tokenizer.Tokenize(text))
        {
            weights[TermHash.Fnv1a32(token)] = 1f;
        }
        return SparseVector.FromAccumulated(weights);
    }

    /// <summary>
    /// The document-side BM25 factor <c>tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))</c>; a
    /// non-positive <paramref name="averageDocumentLength"/> counts as <c>dl/avgdl = 1</c>.
    /// </summary>
    public static double TermWeight(int termFrequency, int documentLength, double averageDocumentLength, double k1, double b)
    {
        if (termFrequency <= 0)
        {
            return 0;
        }
        double relativeLength = averageDocumentLength > 0 ? documentLength / averageDocumentLength : 1;
        return termFrequency * (k1 + 1) / (termFrequency + k1 * (1 - b + b * relativeLength));
    }

    /// <summary>
    /// BM25's inverse document frequency as Qdrant's <c>idf</c> modifier computes it:
    /// <c>ln(1 + (N − n + 0.5)/(n + 0.5))</c>, positive for every n ≤ N.
    /// </summary>
    public static double Idf(long documentCount, long documentFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documentFrequency);
        ArgumentOutOfRangeException.ThrowIfLessThan(documentCount, documentFrequency);
        return Math.Log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
    }

    private double AverageLocked() =>
        Options.AverageDocumentLength ?? (_documents == 0 ? 0 : (double)_tokens / _documents);
}
