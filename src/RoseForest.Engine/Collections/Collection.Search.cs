using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Querying;
using RoseForest.Index.Common;
using RoseForest.Index.Flat;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// The nearest points to a vector, best first: cosine and dot by similarity (descending), the
    /// distances ascending; equal scores by lower id. Uses the HNSW index when the collection has
    /// one (approximate; <see cref="SearchRequest.Exact"/> forces a scan), see FindNeighbors.
    /// </summary>
    public ValueTask<IReadOnlyList<ScoredPoint>> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryAsync(QueryRequest.From(request), cancellationToken);
    }

    /// <summary>Several searches at once; the results come back in the same order.</summary>
    public ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return QueryBatchAsync([.. requests.Select((r, i) => QueryRequest.From(r ?? throw new ValidationException($"searches[{i}]", "must not be null.")))], cancellationToken);
    }

    /// <summary>
    /// A nearest-neighbour search in one space with the node's filter and search parameters: the
    /// best <paramref name="limit"/> by the space's score, threshold applied. Dense vectors use the
    /// graph or an exact scan (FindNeighbors); sparse vectors their inverted index; multivectors a
    /// scan. Under the read lock.
    /// </summary>
    private List<Hit> Nearest(QuerySpace space, QueryVector vector, int limit, QuerySpec knobs, Filter? filter) => space switch
    {
        DenseQuerySpace dense => NearestDense(dense.Space, vector.Dense!, limit, knobs, filter),
        SparseQuerySpace sparse => NearestSparse(sparse, vector, limit, knobs.Threshold, filter),
        _ => ScoreNearest(space, vector, MatchingSlots(filter), limit, knobs.Threshold),
    };

    private List<Hit> NearestDense(Spaces.DenseSpace space, float[] query, int limit, QuerySpec knobs, Filter? filter)
    {
        var queryAux = GeometryMath.Aux(space.Geometry, space.Curvature, query);
        var neighbors = FindNeighbors(space, query, queryAux, limit, knobs.Exact, knobs.HnswEf, knobs.Quantization, filter);
        var top = new TopHits(_table, limit, GeometryInfo.HigherIsBetter(space.Geometry), knobs.Threshold);
        foreach (var n in neighbors)
        {
            top.Offer(new Hit(n.Slot, GeometryMath.Score(space.Geometry, space.Curvature, query, space.Vectors.Get(n.Slot))));
        }

        return top.Result();
    }

    /// <summary>
    /// Exact sparse search: the dot product of the (idf-weighted) query with every live point that
    /// shares a dimension, through the inverted index, as Qdrant does. Points with no common
    /// dimension score nothing and are not returned.
    /// </summary>
    private List<Hit> NearestSparse(SparseQuerySpace space, QueryVector vector, int limit, double? threshold, Filter? filter)
    {
        var query = vector.Sparse!;
        var slots = _table.SlotCount;
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, slots));
        var touched = System.Buffers.ArrayPool<bool>.Shared.Rent(Math.Max(1, slots));
        var touchedSlots = new List<int>();
        try
        {
            // Arrays from the shared pool come back as their last renter left them, not zeroed.
            Array.Clear(scores, 0, slots);
            Array.Clear(touched, 0, slots);
            for (var i = 0; i < query.Indices.Length; i++)
            {
                space.Space.Accumulate(query.Indices[i], query.Values[i], scores, touched, touchedSlots);
            }

            var top = new TopHits(_table, limit, higherIsBetter: true, threshold);
            foreach (var slot in touchedSlots)
            {
                if (_table.IsLive(slot) && (filter is null || _table.Matches(filter, slot)))
                {
                    top.Offer(new Hit(slot, scores[slot]));
                }
            }

            return top.Result();
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
            System.Buffers.ArrayPool<bool>.Shared.Return(touched);
        }
    }

    /// <summary>The exact scan, specialised per geometry kernel and per filter kind.</summary>
    private readonly struct ExactScan(PointTable table, Spaces.DenseSpace space, float[] query, float queryAux, int k, Filter? filter) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace =>
            filter is null
                ? FlatSearch.Search<TSpace, LiveSlots, IdOrder>(space.Vectors, query, queryAux, k, table.SlotCount, new LiveSlots(table, space), new IdOrder(table))
                : FlatSearch.Search<TSpace, FilteredSlots, IdOrder>(space.Vectors, query, queryAux, k, table.SlotCount, new FilteredSlots(table, space, filter), new IdOrder(table));
    }
}
