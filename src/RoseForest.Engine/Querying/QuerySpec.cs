using RoseForest.Core.Filters;

namespace RoseForest.Engine.Querying;

/// <summary>
/// One node of a query (the root or a prefetch) after the checks that need no data, in the
/// order Qdrant makes them: prefetches need a query, a score threshold needs a query and no
/// order_by, fusion has no <c>using</c> and needs prefetches, as does a formula.
/// </summary>
internal sealed class QuerySpec
{
    private QuerySpec(string field)
    {
        Field = field;
    }

    /// <summary>How the node scores (null: id order).</summary>
    public Query? Query { get; private init; }

    public List<QuerySpec> Prefetches { get; private init; } = [];

    public string Using { get; private init; } = string.Empty;

    public Filter? Filter { get; private init; }

    public double? Threshold { get; private init; }

    /// <summary>How many results the node passes on (the root: limit + offset).</summary>
    public int Limit { get; private init; }

    /// <summary>The limit as asked (the default of MMR's candidates_limit).</summary>
    public int RequestLimit { get; private init; }

    public bool Exact { get; private init; }

    public int? HnswEf { get; private init; }

    public QuantizationSearchParams? Quantization { get; private init; }

    public LookupLocation? LookupFrom { get; private init; }

    /// <summary>The path errors about this node name (<c>""</c> for the root, <c>prefetch[1]</c>, …).</summary>
    public string Field { get; }

    /// <summary>The root of a request, checked.</summary>
    public static QuerySpec Root(QueryRequest request, string field)
    {
        if (request.Limit < 1)
        {
            throw new ValidationException(Join(field, "limit"), $"must be at least 1, got {request.Limit}.");
        }

        if (request.Offset < 0)
        {
            throw new ValidationException(Join(field, "offset"), $"must not be negative, got {request.Offset}.");
        }

        var shorthands = (request.Vector is null ? 0 : 1) + (request.Sparse is null ? 0 : 1) + (request.Multi is null ? 0 : 1) + (request.NearestTo is null ? 0 : 1);
        if (shorthands + (request.Query is null ? 0 : 1) > 1)
        {
            throw new ValidationException(Join(field, "query"), "give one of a query, a vector, a sparse vector, a multivector or a point id.");
        }

        VectorInput? shorthand = request.Vector is { } v ? v
            : request.Sparse is { } s ? s
            : request.Multi is { } m ? new MultiVector(m)
            : request.NearestTo is { } id ? id
            : null;
        var spec = new QuerySpec(field)
        {
            Query = request.Query ?? (shorthand is null ? null : new NearestQuery(shorthand)),
            Prefetches = Children(request.Prefetch, field, 1),
            Using = request.Using ?? string.Empty,
            Filter = request.Filter is { IsEmpty: false } f ? f : null,
            Threshold = request.ScoreThreshold,
            Limit = (int)Math.Min((long)request.Limit + request.Offset, int.MaxValue),
            RequestLimit = request.Limit,
            Exact = request.Exact,
            HnswEf = request.HnswEf,
            Quantization = request.Quantization,
            LookupFrom = request.LookupFrom,
        };
        spec.Check();
        return spec;
    }

    private static List<QuerySpec> Children(IReadOnlyList<Prefetch>? prefetches, string field, int depth)
    {
        if (prefetches is not { Count: > 0 })
        {
            return [];
        }

        if (depth > Contracts.Qdrant.QdrantJson.MaxPrefetchDepth)
        {
            throw new ValidationException(Join(field, "prefetch"), $"prefetches nest at most {Contracts.Qdrant.QdrantJson.MaxPrefetchDepth} deep.");
        }

        var list = new List<QuerySpec>(prefetches.Count);
        for (var i = 0; i < prefetches.Count; i++)
        {
            var p = prefetches[i] ?? throw new ValidationException($"{Join(field, "prefetch")}[{i}]", "must not be null.");
            var path = $"{Join(field, "prefetch")}[{i}]";
            if (p.Limit < 1)
            {
                throw new ValidationException($"{path}.limit", $"must be at least 1, got {p.Limit}.");
            }

            var spec = new QuerySpec(path)
            {
                Query = p.Query,
                Prefetches = Children(p.Prefetches, path, depth + 1),
                Using = p.Using ?? string.Empty,
                Filter = p.Filter is { IsEmpty: false } f ? f : null,
                Threshold = p.ScoreThreshold,
                Limit = p.Limit,
                RequestLimit = p.Limit,
                Exact = p.Exact,
                HnswEf = p.HnswEf,
                Quantization = p.Quantization,
                LookupFrom = p.LookupFrom,
            };
            spec.Check();
            list.Add(spec);
        }

        return list;
    }

    private void Check()
    {
        var query = Join(Field, "query");
        if (Prefetches.Count > 0 && Query is null)
        {
            throw new ValidationException(query, "A query is needed to merge the prefetches. Can't have prefetches without defining a query.");
        }

        if (Threshold is { } t)
        {
            if (!double.IsFinite(t))
            {
                throw new ValidationException(Join(Field, "score_threshold"), "must be a finite number.");
            }

            if (Query is null)
            {
                throw new ValidationException(Join(Field, "score_threshold"), "A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
            }

            if (Query is OrderByQuery)
            {
                throw new ValidationException(Join(Field, "score_threshold"), "Can't use score_threshold with an order_by query.");
            }
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
            case FormulaQuery when Prefetches.Count == 0:
                throw new ValidationException(query, "cannot apply Formula without prefetches");
            case RecommendQuery r:
                if (r.Strategy == RecommendStrategy.AverageVector && r.Positive.Count == 0)
                {
                    throw new ValidationException($"{query}.recommend.positive", "Positive vectors should not be empty with `average` strategy");
                }

                if (r.Positive.Count == 0 && r.Negative.Count == 0)
                {
                    throw new ValidationException($"{query}.recommend.positive", "At least one positive or negative vector is required with this strategy");
                }

                break;
            case NearestQuery { Mmr: { } mmr }:
                if (mmr.Diversity is < 0 or > 1 || (mmr.Diversity is { } d && double.IsNaN(d)))
                {
                    throw new ValidationException($"{query}.mmr.diversity", $"must be between 0 and 1, got {mmr.Diversity}.");
                }

                if (mmr.CandidatesLimit is < 0 or > 16384)
                {
                    throw new ValidationException($"{query}.mmr.candidates_limit", $"must be between 0 and 16384, got {mmr.CandidatesLimit}.");
                }

                break;
        }
    }

    /// <summary>The vector inputs of this node's own query.</summary>
    public IEnumerable<(VectorInput Input, string Field)> Inputs()
    {
        var query = Join(Field, "query");
        switch (Query)
        {
            case NearestQuery n:
                yield return (n.Vector, $"{query}.nearest");
                break;
            case RecommendQuery r:
                for (var i = 0; i < r.Positive.Count; i++)
                {
                    yield return (r.Positive[i], $"{query}.recommend.positive[{i}]");
                }

                for (var i = 0; i < r.Negative.Count; i++)
                {
                    yield return (r.Negative[i], $"{query}.recommend.negative[{i}]");
                }

                break;
            case DiscoverQuery d:
                yield return (d.Target, $"{query}.discover.target");
                foreach (var pair in Pairs(d.Context, $"{query}.discover.context"))
                {
                    yield return pair;
                }

                break;
            case ContextQuery c:
                foreach (var pair in Pairs(c.Pairs, $"{query}.context"))
                {
                    yield return pair;
                }

                break;
        }
    }

    private static IEnumerable<(VectorInput, string)> Pairs(IReadOnlyList<ContextPair> pairs, string field)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            yield return (pairs[i].Positive, $"{field}[{i}].positive");
            yield return (pairs[i].Negative, $"{field}[{i}].negative");
        }
    }

    /// <summary>This node and every prefetch below it.</summary>
    public IEnumerable<QuerySpec> SelfAndDescendants() => Prefetches.SelectMany(p => p.SelfAndDescendants()).Prepend(this);

    /// <summary>The collection the node's point ids are looked up in (<paramref name="self"/> without lookup_from).</summary>
    public string LookupCollection(string self) => LookupFrom?.Collection ?? self;

    /// <summary>The vector name the node's point ids are looked up by.</summary>
    public string LookupVector => LookupFrom?.Vector ?? Using;

    /// <summary>
    /// The points referenced by id, in this collection, anywhere in the tree: they are left out of
    /// the results (Qdrant edits the root filter so). Ids looked up in another collection stay.
    /// </summary>
    public HashSet<PointId> ReferencedIds(string self)
    {
        var ids = new HashSet<PointId>();
        foreach (var node in SelfAndDescendants())
        {
            if (node.LookupCollection(self) != self)
            {
                continue;
            }

            foreach (var (input, _) in node.Inputs())
            {
                if (input.Id is { } id)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";
}
