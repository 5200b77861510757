using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>A k-nearest-neighbour search.</summary>
public sealed class SearchRequest
{
    /// <summary>The query vector (validated like a stored vector).</summary>
    public required float[] Vector { get; init; }

    /// <summary>Which dense vector to search (<c>""</c> or null: the unnamed vector).</summary>
    public string? Using { get; init; }

    /// <summary>How many hits to return (k); at least 1.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>How many of the best hits to skip first.</summary>
    public int Offset { get; init; }

    /// <summary>Only points that match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>
    /// Drop hits worse than this: for cosine and dot, scores below it; for the distances, scores
    /// above it.
    /// </summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>Which payload to return.</summary>
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.None;

    /// <summary>Return the stored vectors.</summary>
    public VectorSelector WithVector { get; init; } = VectorSelector.None;

    /// <summary>Force an exact scan even where an index exists.</summary>
    public bool Exact { get; init; }

    /// <summary>The HNSW beam width for this query (ignored by exact search).</summary>
    public int? HnswEf { get; init; }

    /// <summary>How to use quantized codes, when the collection has them.</summary>
    public QuantizationSearchParams? Quantization { get; init; }
}
