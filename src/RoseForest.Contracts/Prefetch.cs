using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>
/// A sub-query whose results the enclosing query rescores or fuses (Qdrant's <c>prefetch</c>).
/// Its filter applies together with every enclosing filter; nested prefetches run first.
/// </summary>
public sealed class Prefetch
{
    /// <summary>How to score; null lists points in id order. Needed when <see cref="Prefetches"/> is not empty.</summary>
    public Query? Query { get; init; }

    /// <summary>Sub-queries to run first.</summary>
    public IReadOnlyList<Prefetch> Prefetches { get; init; } = [];

    /// <summary>Which vector to query (<c>""</c> or null: the unnamed vector).</summary>
    public string? Using { get; init; }

    /// <summary>Only points that match (with every enclosing filter).</summary>
    public Filter? Filter { get; init; }

    /// <summary>Drop results worse than this.</summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>How many results to pass up; at least 1.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Force an exact scan.</summary>
    public bool Exact { get; init; }

    /// <summary>The HNSW beam width.</summary>
    public int? HnswEf { get; init; }

    /// <summary>How to use quantized codes.</summary>
    public QuantizationSearchParams? Quantization { get; init; }

    /// <summary>Where vectors given by point id are looked up.</summary>
    public LookupLocation? LookupFrom { get; init; }
}
