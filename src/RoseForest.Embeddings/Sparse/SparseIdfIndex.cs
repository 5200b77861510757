namespace RoseForest.Embeddings.Sparse;

/// <summary>
/// An in-memory sparse-vector collection scored as Qdrant scores a sparse vector field with the
/// <c>idf</c> modifier: <c>score(q, d) = Σ_i q_i · idf_i · d_i</c>, idf from this collection's
/// own document count and per-dimension document frequencies, and only documents sharing a
/// dimension with the query returned. A brute-force reference for tests and small samples, not an
/// index. Not thread-safe.
/// </summary>
public sealed class SparseIdfIndex
{
    private readonly Dictionary<long, SparseVector> _documents = [];
    private readonly Dictionary<uint, int> _documentFrequency = [];

    /// <summary>The number of documents.</summary>
    public int Count => _documents.Count;

    /// <summary>Adds or replaces the vector of document <paramref name="id"/>.</summary>
    public void Upsert(long id, SparseVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        Remove(id);
        _documents[id] = vector;
        foreach (uint index in vector.Indices)
        {
            _documentFrequency[index] = _documentFrequency.GetValueOrDefault(index) + 1;
        }
    }

    /// <summary>Removes document <paramref name="id"/>; false when it was absent.</summary>
    public bool Remove(long id)
    {
        if (!_documents.Remove(id, out SparseVector? old))
        {
            return false;
        }
        foreach (uint index in old.Indices)
        {
            int left = _documentFrequency[index] - 1;
            if (left == 0)
            {
                _documentFrequency.Remove(index);
            }
            else
            {
                _documentFrequency[index] = left;
            }
        }
        return true;
    }

    /// <summary>How many documents have a value at <paramref name="index"/>.</summary>
    public int DocumentFrequency(uint index) => _documentFrequency.GetValueOrDefault(index);

    /// <summary>The idf of a dimension in this collection (see <see cref="Bm25Encoder.Idf"/>).</summary>
    public double Idf(uint index) => Bm25Encoder.Idf(Count, DocumentFrequency(index));

    /// <summary>The idf-weighted score of one document, 0 when it shares no dimension or is absent.</summary>
    public double Score(SparseVector query, long id)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _documents.TryGetValue(id, out SparseVector? document) ? Score(query, document) : 0;
    }

    /// <summary>
    /// The <paramref name="limit"/> best documents sharing a dimension with the query, best first;
    /// ties go to the smaller id.
    /// </summary>
    public List<ScoredDocument> Search(SparseVector query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var hits = new List<ScoredDocument>();
        foreach ((long id, SparseVector document) in _documents)
        {
            if (Shares(query, document))
            {
                hits.Add(new ScoredDocument(id, Score(query, document)));
            }
        }
        hits.Sort(static (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Id.CompareTo(y.Id));
        return hits.Count > limit ? hits.GetRange(0, limit) : hits;
    }

    private double Score(SparseVector query, SparseVector document)
    {
        double sum = 0;
        ReadOnlySpan<uint> indices = query.Indices;
        ReadOnlySpan<float> values = query.Values;
        for (int i = 0; i < indices.Length; i++)
        {
            float d = document[indices[i]];
            if (d != 0)
            {
                sum += values[i] * Idf(indices[i]) * d;
            }
        }
        return sum;
    }

    private static bool Shares(SparseVector query, SparseVector document)
    {
        foreach (uint index in query.Indices)
        {
            if (document[index] != 0)
            {
                return true;
            }
        }
        return false;
    }
}
