namespace RoseForest.Embeddings.Sparse;

/// <summary>A document id with its score.</summary>
public readonly record struct ScoredDocument(long Id, double Score);
