namespace RoseForest.Embeddings.Sparse;

/// <summary>The BM25 parameters of <see cref="Bm25Encoder"/>.</summary>
public sealed record Bm25Options
{
    /// <summary>Term-frequency saturation. Default 1.2.</summary>
    public double K1 { get; init; } = 1.2;

    /// <summary>Document-length normalisation, 0 (none) to 1 (full). Default 0.75.</summary>
    public double B { get; init; } = 0.75;

    /// <summary>
    /// A fixed average document length, in tokens. When null (the default) the encoder keeps the
    /// average of the documents it has encoded so far. A fixed value makes a document's vector
    /// depend on that document alone (Qdrant's FastEmbed <c>bm25</c> fixes it at 256), at the cost of
    /// a worse length normalisation when the guess is far from the corpus.
    /// </summary>
    public double? AverageDocumentLength { get; init; }

    /// <summary>The defaults: k1 = 1.2, b = 0.75, average length kept from the corpus.</summary>
    public static Bm25Options Default { get; } = new();

    internal void Validate()
    {
        if (!(K1 >= 0) || double.IsInfinity(K1))
        {
            throw new ArgumentOutOfRangeException(nameof(K1), K1, "must be finite and non-negative");
        }
        if (!(B >= 0 && B <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(B), B, "must be in [0, 1]");
        }
        if (AverageDocumentLength is { } avg && !(avg > 0 && !double.IsInfinity(avg)))
        {
            throw new ArgumentOutOfRangeException(nameof(AverageDocumentLength), avg, "must be finite and positive");
        }
    }
}
