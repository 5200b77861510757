namespace RoseForest.Memory;

/// <summary>One candidate of a search with every signal measured.</summary>
internal sealed class RecallCandidate(StoredMemory memory)
{
    public StoredMemory Memory { get; } = memory;

    /// <summary>Cosine similarity with the query.</summary>
    public double Vector { get; set; }

    /// <summary>BM25 score (0: no query term).</summary>
    public double Keyword { get; set; }

    /// <summary>The covered share of the query's idf weight.</summary>
    public double Coverage { get; set; }

    /// <summary>metadata.importance when it is a number, else 0.</summary>
    public double Importance { get; set; }

    public double Fused { get; set; }

    public double Relevance => Math.Max(Vector, Coverage);
}
