using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Cluster.Querying;

/// <summary>
/// One node of a query as the router runs it (the root or a prefetch), with the checks the router
/// relies on made up front, in the engine's words. A stage whose <see cref="Prefetches"/> are
/// empty is a leaf: every shard runs it and the router merges the answers. A stage with
/// prefetches runs them first (each over the whole cluster), then either fuses their results
/// here or rescores their union on the shards.
/// </summary>
internal sealed record QueryStage
{
    public Query? Query { get; init; }

    public IReadOnlyList<QueryStage> Prefetches { get; init; } = [];

    public string Using { get; init; } = string.Empty;

    public Filter? Filter { get; init; }

    public double? Threshold { get; init; }

    /// <summary>How many results the stage passes on (the root: limit + offset).</summary>
    public int Limit { get; init; }

    public bool Exact { get; init; }

    public int? HnswEf { get; init; }

    public QuantizationSearchParams? Quantization { get; init; }

    public LookupLocation? LookupFrom { get; init; }

    /// <summary>The path errors about this stage name (<c>""</c> for the root, <c>prefetch[1]</c>, …).</summary>
    public string Field { get; init; } = string.Empty;

    public static QueryStage Root(QueryRequest request)
    {
        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        if (request.Offset < 0)
        {
            throw new ValidationException("offset", $"must not be negative, got {request.Offset}.");
        }

        var shorthands = (request.Vector is null ? 0 : 1) + (request.Sparse is null ? 0 : 1) + (request.Multi is null ? 0 : 1) + (request.NearestTo is null ? 0 : 1);
        if (shorthands + (request.Query is null ? 0 : 1) > 1)
        {
            throw new ValidationException("query", "give one of a query, a vector, a sparse vector, a multivector or a point id.");
        }

        VectorInput? shorthand = request.Vector is { } v ? v
            : request.Sparse is { } s ? s
            : request.Multi is { } m ? new MultiVector(m)
            : request.NearestTo is { } id ? id
            : null;
        var stage = new QueryStage
        {
            Query = request.Query ?? (shorthand is null ? null : new NearestQuery(shorthand)),
            Prefetches = Children(request.Prefetch, string.Empty, 1),
            Using = request.Using ?? string.Empty,
            Filter = request.Filter is { IsEmpty: false } f ? f : null,
            Threshold = request.ScoreThreshold,
            Limit = (int)Math.Min((long)request.Limit + request.Offset, int.MaxValue),
            Exact = request.Exact,
            HnswEf = request.HnswEf,
            Quantization = request.Quantization,
            LookupFrom = request.LookupFrom,
        };
        stage.Check();
        return stage;
    }

    private static List<QueryStage> Children(IReadOnlyList<Prefetch>? prefetches, string field, int depth)
    {
        if (prefetches is not { Count: > 0 })
        {
            return [];
        }

        if (depth > QdrantJson.MaxPrefetchDepth)
        {
            throw new ValidationException(Join(field, "prefetch"), $"prefetches nest at most {QdrantJson.MaxPrefetchDepth} deep.");
        }

        var list = new List<QueryStage>(prefetches.Count);
        for (var i = 0; i < prefetches.Count; i++)
        {
            var path = $"{Join(field, "prefetch")}[{i}]";
            var p = prefetches[i] ?? throw new ValidationException(path, "must not be null.");
            if (p.Limit < 1)
            {
                throw new ValidationException($"{path}.limit", $"must be at least 1, got {p.Limit}.");
            }

            var stage = new QueryStage
            {
                Query = p.Query,
                Prefetches = Children(p.Prefetches, path, depth + 1),
                Using = p.Using ?? string.Empty,
                Filter = p.Filter is { IsEmpty: false } f ? f : null,
                Threshold = p.ScoreThreshold,
                Limit = p.Limit,
                Exact = p.Exact,
                HnswEf = p.HnswEf,
                Quantization = p.Quantization,
                LookupFrom = p.LookupFrom,
                Field = path,
            };
            stage.Check();
            list.Add(stage);
        }

        return list;
    }

    /// <summary>The engine's checks that the router depends on, and the refusals of what it cannot distribute.</summary>
    private void Check()
    {
        var query = Join(Field, "query");
        if (Prefetches.Count > 0 && Query is null)
        {
            throw new ValidationException(query, "A query is needed to merge the prefetches. Can't have prefetches without defining a query.");
        }

        if (Threshold is { } t && (!double.IsFinite(t) || Query is null or OrderByQuery))
        {
            throw new ValidationException(Join(Field, "score_threshold"), Query is OrderByQuery
                ? "Can't use score_threshold with an order_by query."
                : !double.IsFinite(t) ? "must be a finite number." : "A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
        }

        switch (Query)
        {
            case FusionQuery fusion:
                if (Using.Length > 0)
                {
                    throw new ValidationException(Join(Field, "using"), "Fusion queries cannot be combined with the 'using' field.");
                }

                if (Prefetches.Count == 0)
                {
                    throw new ValidationException(query, "cannot apply Fusion without prefetches");
                }

                if (fusion.K is < 1)
                {
                    throw new ValidationException($"{query}.rrf.k", $"must be at least 1, got {fusion.K}.");
                }

                if (fusion.Weights is { } weights && weights.Count != Prefetches.Count)
                {
                    throw new ValidationException($"{query}.rrf.weights", $"RRF weights length ({weights.Count}) does not match number of prefetches ({Prefetches.Count})");
                }

                break;
            case NearestQuery { Mmr: not null }:
                // MMR re-ranks by similarity among the candidates, which live on different shards.
                throw new ClusterNotSupportedException($"{query}.nearest.mmr", "maximal marginal relevance needs all candidates in one place");
            case FormulaQuery:
                throw new ClusterNotSupportedException($"{query}.formula", "score formulas over prefetches");
            case SampleQuery when Prefetches.Count > 0:
                throw new ClusterNotSupportedException($"{query}.sample", "a random sample of prefetched points");
        }
    }

    /// <summary>The vector inputs of this stage's own query, with a way to put a resolved vector in place of each.</summary>
    public IEnumerable<VectorInput> Inputs() => Query switch
    {
        NearestQuery n => [n.Vector],
        RecommendQuery r => [.. r.Positive, .. r.Negative],
        DiscoverQuery d => [d.Target, .. d.Context.SelectMany(p => new[] { p.Positive, p.Negative })],
        ContextQuery c => [.. c.Pairs.SelectMany(p => new[] { p.Positive, p.Negative })],
        _ => [],
    };

    /// <summary>This stage with every point-id input replaced by the vector <paramref name="resolve"/> gives, and no lookup_from left.</summary>
    public QueryStage WithInputs(Func<QueryStage, VectorInput, VectorInput> resolve)
    {
        VectorInput R(VectorInput input) => input.Id is null ? input : resolve(this, input);
        ContextPair Pair(ContextPair p) => new(R(p.Positive), R(p.Negative));
        var query = Query switch
        {
            NearestQuery n => n with { Vector = R(n.Vector) },
            RecommendQuery r => r with { Positive = [.. r.Positive.Select(R)], Negative = [.. r.Negative.Select(R)] },
            DiscoverQuery d => d with { Target = R(d.Target), Context = [.. d.Context.Select(Pair)] },
            ContextQuery c => c with { Pairs = [.. c.Pairs.Select(Pair)] },
            var other => other,
        };
        return this with { Query = query, LookupFrom = null, Prefetches = [.. Prefetches.Select(p => p.WithInputs(resolve))] };
    }

    /// <summary>This stage and every prefetch below it.</summary>
    public IEnumerable<QueryStage> SelfAndDescendants() => Prefetches.SelectMany(p => p.SelfAndDescendants()).Prepend(this);

    /// <summary>The collection this stage's point ids are looked up in (<paramref name="self"/> without lookup_from).</summary>
    public string LookupCollection(string self) => LookupFrom?.Collection ?? self;

    /// <summary>The vector name this stage's point ids are looked up by.</summary>
    public string LookupVector => LookupFrom?.Vector ?? Using;

    /// <summary>The leaf request every shard runs for this stage (no prefetches left), under <paramref name="filter"/>.</summary>
    public QueryRequest ToShardRequest(Filter? filter, int limit, bool exact, PayloadSelector withPayload, VectorSelector withVector) => new()
    {
        Query = Query,
        Using = Using.Length == 0 ? null : Using,
        Filter = filter,
        ScoreThreshold = Threshold,
        Limit = limit,
        Exact = exact,
        HnswEf = HnswEf,
        Quantization = Quantization,
        WithPayload = withPayload,
        WithVector = withVector,
    };

    public static Filter? And(Filter? a, Filter? b) =>
        a is null ? b : b is null ? a : new Filter(must: [Condition.Nested(a), Condition.Nested(b)]);

    private static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";
}
