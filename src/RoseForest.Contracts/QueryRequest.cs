using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>
/// A query (Qdrant's universal <c>/points/query</c>): <see cref="Query"/> scores points (nearest,
/// recommend, discover, context, order by, fusion, formula, sample), over the results of
/// <see cref="Prefetch"/> when there are prefetches. The shorthands <see cref="Vector"/>,
/// <see cref="Sparse"/>, <see cref="Multi"/> and <see cref="NearestTo"/> are a nearest query.
/// With no query and no prefetch, points come in id order with score 1 (as in Qdrant).
/// </summary>
public sealed class QueryRequest
{
    /// <summary>How to score points (null: a shorthand below, or id order).</summary>
    public Query? Query { get; init; }

    /// <summary>Sub-queries whose results <see cref="Query"/> rescores or fuses.</summary>
    public IReadOnlyList<Prefetch> Prefetch { get; init; } = [];

    /// <summary>Where vectors given by point id are looked up (another collection, and its vector name).</summary>
    public LookupLocation? LookupFrom { get; init; }

    /// <summary>Nearest to this vector.</summary>
    public float[]? Vector { get; init; }

    /// <summary>Nearest to this sparse vector (of the sparse vector named by <see cref="Using"/>).</summary>
    public SparseVector? Sparse { get; init; }

    /// <summary>Nearest to this multivector by max_sim (of the multivector named by <see cref="Using"/>).</summary>
    public float[][]? Multi { get; init; }

    /// <summary>Which vector to search (<c>""</c> or null: the unnamed vector).</summary>
    public string? Using { get; init; }

    /// <summary>Nearest to this point's stored vector (the point itself is not returned).</summary>
    public PointId? NearestTo { get; init; }

    /// <summary>How many results; at least 1.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>How many of the best results to skip first.</summary>
    public int Offset { get; init; }

    /// <summary>Only points that match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Drop results worse than this (see <see cref="SearchRequest.ScoreThreshold"/>).</summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>Which payload to return.</summary>
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.None;

    /// <summary>Return the stored vectors.</summary>
    public VectorSelector WithVector { get; init; } = VectorSelector.None;

    /// <summary>Force an exact scan.</summary>
    public bool Exact { get; init; }

    /// <summary>The HNSW beam width for this query.</summary>
    public int? HnswEf { get; init; }

    /// <summary>How to use quantized codes.</summary>
    public QuantizationSearchParams? Quantization { get; init; }

    /// <summary>
    /// The query adapter switch for this request (see <see cref="IQueryAdapters"/>): true applies
    /// the adapter even while it is not enabled, false never applies it, null follows the
    /// collection's setting and A/B fraction.
    /// </summary>
    public bool? UseAdapter { get; init; }

    /// <summary>Whose adapter: a tenant's own when it has one, else the collection's (null: the collection's).</summary>
    public string? AdapterTenant { get; init; }

    /// <summary>The same query as a vector search (the Search route of the contracts).</summary>
    public static QueryRequest From(SearchRequest search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return new QueryRequest
        {
            Vector = search.Vector,
            Using = search.Using,
            Limit = search.Limit,
            Offset = search.Offset,
            Filter = search.Filter,
            ScoreThreshold = search.ScoreThreshold,
            WithPayload = search.WithPayload,
            WithVector = search.WithVector,
            Exact = search.Exact,
            HnswEf = search.HnswEf,
            Quantization = search.Quantization,
        };
    }

    /// <summary>This query's parameters as a search for <paramref name="vector"/> with <paramref name="filter"/> (which may differ from <see cref="Filter"/>).</summary>
    public SearchRequest ToSearch(float[] vector, Filter? filter) => new()
    {
        Vector = vector,
        Using = Using,
        Limit = Limit,
        Offset = Offset,
        Filter = filter,
        ScoreThreshold = ScoreThreshold,
        WithPayload = WithPayload,
        WithVector = WithVector,
        HnswEf = HnswEf,
        Exact = Exact,
        Quantization = Quantization,
    };
}
