using Google.Protobuf.Collections;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>
/// Qdrant's query messages (the universal query and the legacy search, recommend and discover
/// forms) into the one <see cref="QueryRequest"/> the REST API also builds, with the same limits
/// and the same checks, so the engine answers both doors with one implementation.
/// </summary>
internal static class ProtoQueries
{
    public static QueryRequest ToQueryRequest(G.QueryPoints q, GrpcApiOptions limits, string field = "")
    {
        var limit = Limit(q.HasLimit ? q.Limit : null, Join(field, "limit"), limits, 10);
        var offset = Offset(q.HasOffset ? q.Offset : null, field, limits, limit);
        RefuseShardKey(q.ShardKeySelector, field);
        var (ef, exact, quantization) = Params(q.Params, Join(field, "params"));
        return new QueryRequest
        {
            Query = q.Query is null ? null : ToQuery(q.Query, Join(field, "query")),
            Prefetch = ToPrefetches(q.Prefetch, Join(field, "prefetch"), limits, 1),
            Using = q.HasUsing ? q.Using : null,
            LookupFrom = ToLookup(q.LookupFrom, Join(field, "lookup_from")),
            Limit = limit,
            Offset = offset,
            Filter = ProtoFilters.ToFilter(q.Filter, Join(field, "filter")),
            ScoreThreshold = q.HasScoreThreshold ? q.ScoreThreshold : null,
            WithPayload = ProtoPoints.ToPayloadSelector(q.WithPayload, PayloadSelector.None),
            WithVector = ProtoPoints.ToVectorSelector(q.WithVectors),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
    }

    public static QueryGroupsRequest ToQueryGroups(G.QueryPointGroups q, GrpcApiOptions limits)
    {
        RefuseShardKey(q.ShardKeySelector, string.Empty);
        var (ef, exact, quantization) = Params(q.Params, "params");
        var query = new QueryRequest
        {
            Query = q.Query is null ? null : ToQuery(q.Query, "query"),
            Prefetch = ToPrefetches(q.Prefetch, "prefetch", limits, 1),
            Using = q.HasUsing ? q.Using : null,
            LookupFrom = ToLookup(q.LookupFrom, "lookup_from"),
            Limit = 1,
            Filter = ProtoFilters.ToFilter(q.Filter),
            ScoreThreshold = q.HasScoreThreshold ? q.ScoreThreshold : null,
            WithPayload = ProtoPoints.ToPayloadSelector(q.WithPayload, PayloadSelector.None),
            WithVector = ProtoPoints.ToVectorSelector(q.WithVectors),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
        return Groups(query, q.GroupBy, q.HasGroupSize ? q.GroupSize : 3, q.HasLimit ? q.Limit : 10, q.WithLookup, limits);
    }

    public static Query ToQuery(G.Query q, string field)
    {
        switch (q.VariantCase)
        {
            case G.Query.VariantOneofCase.Nearest:
                return new NearestQuery(ProtoVectors.ToVectorInput(q.Nearest, Join(field, "nearest")));
            case G.Query.VariantOneofCase.NearestWithMmr:
                var mmr = q.NearestWithMmr.Mmr;
                if (mmr is { HasDiversity: true, Diversity: < 0 or > 1 })
                {
                    throw new ValidationException($"{field}.mmr.diversity", $"must be between 0 and 1, got {mmr.Diversity}.");
                }

                return new NearestQuery(ProtoVectors.ToVectorInput(q.NearestWithMmr.Nearest, Join(field, "nearest")))
                {
                    Mmr = mmr is null ? null : new Mmr
                    {
                        Diversity = mmr.HasDiversity ? mmr.Diversity : null,
                        CandidatesLimit = mmr.HasCandidatesLimit ? (int)Math.Min(mmr.CandidatesLimit, 16384) : null,
                    },
                };
            case G.Query.VariantOneofCase.Recommend:
                var r = q.Recommend;
                return new RecommendQuery(
                    Inputs(r.Positive, Join(field, "recommend.positive")),
                    Inputs(r.Negative, Join(field, "recommend.negative")),
                    Strategy(r.HasStrategy ? r.Strategy : null));
            case G.Query.VariantOneofCase.Discover:
                return new DiscoverQuery(
                    ProtoVectors.ToVectorInput(q.Discover.Target, Join(field, "discover.target")),
                    Pairs(q.Discover.Context?.Pairs, Join(field, "discover.context")));
            case G.Query.VariantOneofCase.Context:
                return new ContextQuery(Pairs(q.Context.Pairs, Join(field, "context")));
            case G.Query.VariantOneofCase.OrderBy:
                return ToOrderBy(q.OrderBy, Join(field, "order_by"));
            case G.Query.VariantOneofCase.Fusion:
                return q.Fusion == G.Fusion.Dbsf ? FusionQuery.Dbsf : FusionQuery.Rrf;
            case G.Query.VariantOneofCase.Rrf:
                return new FusionQuery(FusionMethod.Rrf)
                {
                    K = q.Rrf.HasK ? (int)Math.Min(q.Rrf.K, int.MaxValue) : null,
                    Weights = q.Rrf.Weights.Count > 0 ? [.. q.Rrf.Weights.Select(w => (double)w)] : null,
                };
            case G.Query.VariantOneofCase.Sample:
                return SampleQuery.Random;
            case G.Query.VariantOneofCase.Formula:
                return ProtoFormulas.ToFormula(q.Formula, Join(field, "formula"));
            case G.Query.VariantOneofCase.RelevanceFeedback:
                throw new GrpcUnsupportedException("relevance_feedback queries are not supported by RoseForest.");
            default:
                throw new ValidationException(field, "expected a query: nearest, recommend, discover, context, order_by, fusion, rrf, formula or sample.");
        }
    }

    public static OrderByQuery ToOrderBy(G.OrderBy o, string field)
    {
        if (string.IsNullOrEmpty(o.Key))
        {
            throw new ValidationException($"{field}.key", "is required.");
        }

        OrderValue? start = null;
        if (o.StartFrom is { } s)
        {
            start = s.ValueCase switch
            {
                G.StartFrom.ValueOneofCase.Integer => OrderValue.FromInteger(s.Integer),
                G.StartFrom.ValueOneofCase.Float => OrderValue.FromDouble(s.Float),
                G.StartFrom.ValueOneofCase.Timestamp => OrderValue.FromDatetime(FilterDateTime.FromDateTimeOffset(s.Timestamp.ToDateTimeOffset())),
                G.StartFrom.ValueOneofCase.Datetime => FilterDateTime.TryParse(s.Datetime, out var dt)
                    ? OrderValue.FromDatetime(dt)
                    : throw new ValidationException($"{field}.start_from.datetime", $"'{s.Datetime}' is not a datetime."),
                _ => null,
            };
        }

        return new OrderByQuery(o.Key) { Direction = o.HasDirection && o.Direction == G.Direction.Desc ? OrderDirection.Desc : OrderDirection.Asc, StartFrom = start };
    }

    private static List<Prefetch> ToPrefetches(RepeatedField<G.PrefetchQuery> prefetches, string field, GrpcApiOptions limits, int depth)
    {
        if (prefetches.Count == 0)
        {
            return [];
        }

        if (depth > QdrantJson.MaxPrefetchDepth)
        {
            throw new ValidationException(field, $"prefetches nest at most {QdrantJson.MaxPrefetchDepth} deep.");
        }

        var list = new List<Prefetch>(prefetches.Count);
        for (var i = 0; i < prefetches.Count; i++)
        {
            var p = prefetches[i];
            var path = $"{field}[{i}]";
            var (ef, exact, quantization) = Params(p.Params, $"{path}.params");
            list.Add(new Prefetch
            {
                Query = p.Query is null ? null : ToQuery(p.Query, $"{path}.query"),
                Prefetches = ToPrefetches(p.Prefetch, $"{path}.prefetch", limits, depth + 1),
                Using = p.HasUsing ? p.Using : null,
                Filter = ProtoFilters.ToFilter(p.Filter, $"{path}.filter"),
                ScoreThreshold = p.HasScoreThreshold ? p.ScoreThreshold : null,
                Limit = Limit(p.HasLimit ? p.Limit : null, $"{path}.limit", limits, 10),
                HnswEf = ef,
                Exact = exact,
                Quantization = quantization,
                LookupFrom = ToLookup(p.LookupFrom, $"{path}.lookup_from"),
            });
        }

        return list;
    }

    /// <summary>The legacy search: a dense vector, or a sparse one when sparse_indices are given, on vector_name.</summary>
    public static QueryRequest ToSearch(G.SearchPoints s, GrpcApiOptions limits, string field = "")
    {
        VectorData data = s.SparseIndices is { } indices
            ? new SparseVector([.. indices.Data], ProtoVectors.Dense(s.Vector))
            : new DenseVector(ProtoVectors.Dense(s.Vector));
        var limit = Limit(s.Limit == 0 ? null : s.Limit, Join(field, "limit"), limits, null);
        var offset = Offset(s.HasOffset ? s.Offset : null, field, limits, limit);
        RefuseShardKey(s.ShardKeySelector, field);
        return Legacy(new NearestQuery(VectorInput.Of(data)), s.HasVectorName ? s.VectorName : null, null, limit, offset, s.Filter, s.Params,
            s.HasScoreThreshold ? s.ScoreThreshold : null, s.WithPayload, s.WithVectors, field);
    }

    public static QueryGroupsRequest ToSearchGroups(G.SearchPointGroups s, GrpcApiOptions limits)
    {
        VectorData data = s.SparseIndices is { } indices
            ? new SparseVector([.. indices.Data], ProtoVectors.Dense(s.Vector))
            : new DenseVector(ProtoVectors.Dense(s.Vector));
        RefuseShardKey(s.ShardKeySelector, string.Empty);
        var query = Legacy(new NearestQuery(VectorInput.Of(data)), s.HasVectorName ? s.VectorName : null, null, 1, 0, s.Filter, s.Params,
            s.HasScoreThreshold ? s.ScoreThreshold : null, s.WithPayload, s.WithVectors, string.Empty);
        return Groups(query, s.GroupBy, s.GroupSize, s.Limit, s.WithLookup, limits);
    }

    public static QueryRequest ToRecommend(G.RecommendPoints r, GrpcApiOptions limits, string field = "")
    {
        var limit = Limit(r.Limit == 0 ? null : r.Limit, Join(field, "limit"), limits, null);
        var offset = Offset(r.HasOffset ? r.Offset : null, field, limits, limit);
        RefuseShardKey(r.ShardKeySelector, field);
        var query = LegacyRecommend(r.Positive, r.PositiveVectors, r.Negative, r.NegativeVectors, r.HasStrategy ? r.Strategy : null, field);
        return Legacy(query, r.HasUsing ? r.Using : null, r.LookupFrom, limit, offset, r.Filter, r.Params,
            r.HasScoreThreshold ? r.ScoreThreshold : null, r.WithPayload, r.WithVectors, field);
    }

    public static QueryGroupsRequest ToRecommendGroups(G.RecommendPointGroups r, GrpcApiOptions limits)
    {
        RefuseShardKey(r.ShardKeySelector, string.Empty);
        var recommend = LegacyRecommend(r.Positive, r.PositiveVectors, r.Negative, r.NegativeVectors, r.HasStrategy ? r.Strategy : null, string.Empty);
        var query = Legacy(recommend, r.HasUsing ? r.Using : null, r.LookupFrom, 1, 0, r.Filter, r.Params,
            r.HasScoreThreshold ? r.ScoreThreshold : null, r.WithPayload, r.WithVectors, string.Empty);
        return Groups(query, r.GroupBy, r.GroupSize, r.Limit, r.WithLookup, limits);
    }

    public static QueryRequest ToDiscover(G.DiscoverPoints d, GrpcApiOptions limits, string field = "")
    {
        var limit = Limit(d.Limit == 0 ? null : d.Limit, Join(field, "limit"), limits, null);
        var offset = Offset(d.HasOffset ? d.Offset : null, field, limits, limit);
        RefuseShardKey(d.ShardKeySelector, field);
        var context = new List<ContextPair>(d.Context.Count);
        for (var i = 0; i < d.Context.Count; i++)
        {
            var path = $"{Join(field, "context")}[{i}]";
            context.Add(new ContextPair(
                ProtoVectors.ToVectorInput(d.Context[i].Positive, $"{path}.positive"),
                ProtoVectors.ToVectorInput(d.Context[i].Negative, $"{path}.negative")));
        }

        Query query = d.Target?.Single is { } target
            ? new DiscoverQuery(ProtoVectors.ToVectorInput(target, Join(field, "target")), context)
            : context.Count > 0 ? new ContextQuery(context) : throw new ValidationException(Join(field, "target"), "target and/or context_pairs must be specified");
        return Legacy(query, d.HasUsing ? d.Using : null, d.LookupFrom, limit, offset, d.Filter, d.Params, null, d.WithPayload, d.WithVectors, field);
    }

    /// <summary>A batch of requests, each checked with its index in the error path, at most MaxLimit of them.</summary>
    public static List<QueryRequest> ToBatch<T>(RepeatedField<T> items, string field, GrpcApiOptions limits, Func<T, string, QueryRequest> read)
    {
        if (items.Count > limits.MaxLimit)
        {
            throw new ValidationException(field, $"at most {limits.MaxLimit} requests per batch, got {items.Count}.");
        }

        var list = new List<QueryRequest>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            list.Add(read(items[i], $"{field}[{i}]"));
        }

        return list;
    }

    public static (int? Ef, bool Exact, QuantizationSearchParams? Quantization) Params(G.SearchParams? p, string field)
    {
        if (p is null)
        {
            return (null, false, null);
        }

        QuantizationSearchParams? quantization = null;
        if (p.Quantization is { } q)
        {
            if (q.HasOversampling && !(q.Oversampling >= 1))
            {
                throw new ValidationException($"{field}.quantization.oversampling", "must be at least 1.");
            }

            quantization = new QuantizationSearchParams
            {
                Ignore = q.HasIgnore && q.Ignore,
                Rescore = !q.HasRescore || q.Rescore,
                Oversampling = q.HasOversampling ? q.Oversampling : new QuantizationSearchParams().Oversampling,
            };
        }

        int? ef = null;
        if (p.HasHnswEf)
        {
            ef = p.HnswEf is >= 1 and <= 65536 ? (int)p.HnswEf : throw new ValidationException($"{field}.hnsw_ef", $"must be between 1 and 65536, got {p.HnswEf}.");
        }

        return (ef, p.HasExact && p.Exact, quantization);
    }

    private static QueryRequest Legacy(
        Query query, string? usingName, G.LookupLocation? lookup, int limit, int offset, G.Filter? filter, G.SearchParams? parameters,
        float? threshold, G.WithPayloadSelector? withPayload, G.WithVectorsSelector? withVectors, string field)
    {
        var (ef, exact, quantization) = Params(parameters, Join(field, "params"));
        return new QueryRequest
        {
            Query = query,
            Using = usingName,
            LookupFrom = ToLookup(lookup, Join(field, "lookup_from")),
            Limit = limit,
            Offset = offset,
            Filter = ProtoFilters.ToFilter(filter, Join(field, "filter")),
            ScoreThreshold = threshold,
            WithPayload = ProtoPoints.ToPayloadSelector(withPayload, PayloadSelector.None),
            WithVector = ProtoPoints.ToVectorSelector(withVectors),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
    }

    private static RecommendQuery LegacyRecommend(
        RepeatedField<G.PointId> positive, RepeatedField<G.Vector> positiveVectors, RepeatedField<G.PointId> negative, RepeatedField<G.Vector> negativeVectors,
        G.RecommendStrategy? strategy, string field)
    {
        var pos = new List<VectorInput>();
        var neg = new List<VectorInput>();
        for (var i = 0; i < positive.Count; i++)
        {
            pos.Add(VectorInput.OfPoint(ProtoValues.ToPointId(positive[i], $"{Join(field, "positive")}[{i}]")));
        }

        for (var i = 0; i < positiveVectors.Count; i++)
        {
            pos.Add(VectorInput.Of(ProtoVectors.ToVectorData(positiveVectors[i], $"{Join(field, "positive_vectors")}[{i}]")));
        }

        for (var i = 0; i < negative.Count; i++)
        {
            neg.Add(VectorInput.OfPoint(ProtoValues.ToPointId(negative[i], $"{Join(field, "negative")}[{i}]")));
        }

        for (var i = 0; i < negativeVectors.Count; i++)
        {
            neg.Add(VectorInput.Of(ProtoVectors.ToVectorData(negativeVectors[i], $"{Join(field, "negative_vectors")}[{i}]")));
        }

        var query = new RecommendQuery(pos, neg, Strategy(strategy));
        if (query.Strategy == RecommendStrategy.AverageVector && pos.Count == 0)
        {
            throw new ValidationException(Join(field, "positive"), "At least one positive vector ID required with this strategy");
        }

        if (pos.Count == 0 && neg.Count == 0)
        {
            throw new ValidationException(Join(field, "positive"), "At least one positive or negative vector ID required with this strategy");
        }

        return query;
    }

    private static QueryGroupsRequest Groups(QueryRequest query, string groupBy, ulong groupSize, ulong limit, G.WithLookup? lookup, GrpcApiOptions limits)
    {
        if (string.IsNullOrEmpty(groupBy))
        {
            throw new ValidationException("group_by", "is required.");
        }

        var size = Limit(groupSize == 0 ? null : groupSize, "group_size", limits, null);
        var groups = Limit(limit == 0 ? null : limit, "limit", limits, null);
        if ((long)size * groups > limits.MaxLimit)
        {
            throw new ValidationException("group_size", $"group_size × limit may be at most {limits.MaxLimit}.");
        }

        WithLookup? withLookup = null;
        if (lookup is not null)
        {
            if (string.IsNullOrEmpty(lookup.Collection))
            {
                throw new ValidationException("with_lookup.collection", "is required.");
            }

            withLookup = new WithLookup(lookup.Collection)
            {
                WithPayload = ProtoPoints.ToPayloadSelector(lookup.WithPayload, PayloadSelector.All),
                WithVectors = ProtoPoints.ToVectorSelector(lookup.WithVectors),
            };
        }

        return new QueryGroupsRequest { Query = query, GroupBy = groupBy, GroupSize = size, Limit = groups, WithLookup = withLookup };
    }

    private static List<VectorInput> Inputs(RepeatedField<G.VectorInput> inputs, string field)
    {
        var list = new List<VectorInput>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            list.Add(ProtoVectors.ToVectorInput(inputs[i], $"{field}[{i}]"));
        }

        return list;
    }

    private static List<ContextPair> Pairs(RepeatedField<G.ContextInputPair>? pairs, string field)
    {
        var list = new List<ContextPair>();
        if (pairs is null)
        {
            return list;
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            list.Add(new ContextPair(
                ProtoVectors.ToVectorInput(pairs[i].Positive, $"{field}[{i}].positive"),
                ProtoVectors.ToVectorInput(pairs[i].Negative, $"{field}[{i}].negative")));
        }

        return list;
    }

    private static RecommendStrategy Strategy(G.RecommendStrategy? s) => s switch
    {
        G.RecommendStrategy.BestScore => RecommendStrategy.BestScore,
        G.RecommendStrategy.SumScores => RecommendStrategy.SumScores,
        null or G.RecommendStrategy.AverageVector => RecommendStrategy.AverageVector,
        _ => throw new ValidationException("strategy", $"unknown recommend strategy {(int)s}."),
    };

    private static LookupLocation? ToLookup(G.LookupLocation? l, string field)
    {
        if (l is null)
        {
            return null;
        }

        RefuseShardKey(l.ShardKeySelector, field);
        if (string.IsNullOrEmpty(l.CollectionName))
        {
            throw new ValidationException($"{field}.collection_name", "is required.");
        }

        return new LookupLocation(l.CollectionName, l.HasVectorName ? l.VectorName : null);
    }

    /// <summary>A limit, between 1 and MaxLimit; <paramref name="defaultValue"/> null makes it required.</summary>
    public static int Limit(ulong? value, string field, GrpcApiOptions limits, int? defaultValue)
    {
        if (value is not { } v)
        {
            return defaultValue ?? throw new ValidationException(field, "is required (at least 1).");
        }

        return v is >= 1 && v <= (ulong)limits.MaxLimit ? (int)v : throw new ValidationException(field, $"must be between 1 and {limits.MaxLimit}, got {v}.");
    }

    private static int Offset(ulong? value, string field, GrpcApiOptions limits, int limit)
    {
        var offset = value is { } o ? (o <= (ulong)limits.MaxLimit ? (int)o : throw new ValidationException(Join(field, "offset"), $"must be at most {limits.MaxLimit}, got {o}.")) : 0;
        if (limit + offset > limits.MaxLimit)
        {
            throw new ValidationException(Join(field, "offset"), $"limit + offset may be at most {limits.MaxLimit}.");
        }

        return offset;
    }

    public static void RefuseShardKey(G.ShardKeySelector? selector, string field)
    {
        if (selector is not null)
        {
            throw new ValidationException(Join(field, "shard_key_selector"), "sharding is not supported by RoseForest.");
        }
    }

    public static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";
}
