using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// Exact sparse search: the dot product of the query with every live point that shares a
    /// dimension, through the inverted index; with the idf modifier each query weight is
    /// multiplied by the dimension's idf, as Qdrant does. Points with no common dimension score
    /// nothing and are not returned.
    /// </summary>
    private IReadOnlyList<ScoredPoint> SearchSparse(SparseSpace space, SparseVector query, QueryRequest request, Filter? filter, string field)
    {
        var prepared = PrepareSparse(query.Indices, query.Values, $"{field}.query");
        using (ReadScope())
        {
            var slots = _table.SlotCount;
            var scores = System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, slots));
            var touched = System.Buffers.ArrayPool<bool>.Shared.Rent(Math.Max(1, slots));
            var touchedSlots = new List<int>();
            try
            {
                for (var i = 0; i < prepared.Indices.Length; i++)
                {
                    var weight = prepared.Values[i];
                    if (space.Params.Modifier == SparseModifier.Idf)
                    {
                        weight = (float)(weight * space.Idf(prepared.Indices[i]));
                    }

                    space.Accumulate(prepared.Indices[i], weight, scores, touched, touchedSlots);
                }

                var candidates = new List<(double Score, int Slot)>(touchedSlots.Count);
                foreach (var slot in touchedSlots)
                {
                    if (_table.IsLive(slot) && (filter is null || _table.Matches(filter, slot)))
                    {
                        candidates.Add((scores[slot], slot));
                    }

                    scores[slot] = 0;
                    touched[slot] = false;
                }

                return Rank([.. candidates], higherIsBetter: true, request.Offset, request.Limit, request.ScoreThreshold, request.WithPayload, request.WithVector);
            }
            finally
            {
                System.Buffers.ArrayPool<float>.Shared.Return(scores);
                System.Buffers.ArrayPool<bool>.Shared.Return(touched);
            }
        }
    }

    /// <summary>
    /// Exact multivector search with max_sim: for each query sub-vector the best similarity to
    /// any of the point's sub-vectors, summed (similarity as Qdrant defines it per distance: dot
    /// product for cosine and dot, negative squared distance for euclid, negative L1 for
    /// manhattan; RoseForest's hyperbolic distances as negative distance). Higher is better.
    /// </summary>
    private IReadOnlyList<ScoredPoint> SearchMulti(MultiSpace space, float[][] query, QueryRequest request, Filter? filter, string field)
    {
        if (query.Length == 0)
        {
            throw new ValidationException($"{field}.query", "a multivector query needs at least one vector.");
        }

        var dim = space.Dimension;
        var prepared = new float[query.Length * dim];
        for (var i = 0; i < query.Length; i++)
        {
            VectorPreparer.Prepare(space.Params.Distance, space.Params.Curvature, dim, query[i] ?? throw new ValidationException($"{field}.query[{i}]", "must not be null."), prepared.AsSpan(i * dim, dim), projectOntoManifold: false, $"{field}.query[{i}]");
        }

        using (ReadScope())
        {
            var candidates = new List<(double Score, int Slot)>();
            for (var slot = 0; slot < _table.SlotCount; slot++)
            {
                if (!_table.IsLive(slot) || space.Get(slot) is not { } stored || (filter is not null && !_table.Matches(filter, slot)))
                {
                    continue;
                }

                candidates.Add((MaxSim(space.Params, prepared, stored, dim), slot));
            }

            return Rank([.. candidates], higherIsBetter: true, request.Offset, request.Limit, request.ScoreThreshold, request.WithPayload, request.WithVector);
        }
    }

    /// <summary>Σ over query sub-vectors of the best similarity to a stored sub-vector.</summary>
    internal static double MaxSim(VectorParams p, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim)
    {
        double sum = 0;
        for (var q = 0; q < query.Length; q += dim)
        {
            var best = double.NegativeInfinity;
            for (var d = 0; d < stored.Length; d += dim)
            {
                best = Math.Max(best, Similarity(p, query.Slice(q, dim), stored.Slice(d, dim)));
            }

            sum += best;
        }

        return sum;
    }

    private static double Similarity(VectorParams p, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        switch (p.Distance)
        {
            case Geometry.Cosine or Geometry.Dot:
                double dot = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    dot += (double)a[i] * b[i];
                }

                return dot;
            case Geometry.Euclid:
                double squared = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    var diff = (double)a[i] - b[i];
                    squared += diff * diff;
                }

                return -squared;
            case Geometry.Manhattan:
                double l1 = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    l1 += Math.Abs((double)a[i] - b[i]);
                }

                return -l1;
            default:
                return -GeometryMath.Score(p.Distance, p.Curvature, a, b);
        }
    }
}
