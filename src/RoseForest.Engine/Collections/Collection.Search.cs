using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Spaces;
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
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Search(request, "query"));
    }

    /// <summary>Several searches at once; the results come back in the same order.</summary>
    public ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(requests);
        var results = new IReadOnlyList<ScoredPoint>[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = Search(requests[i] ?? throw new ValidationException($"searches[{i}]", "must not be null."), $"searches[{i}]");
        }

        return new(results);
    }

    private IReadOnlyList<ScoredPoint> Search(SearchRequest request, string field)
    {
        if (request.Limit < 1)
        {
            throw new ValidationException($"{field}.limit", $"must be at least 1, got {request.Limit}.");
        }

        if (request.Offset < 0)
        {
            throw new ValidationException($"{field}.offset", $"must not be negative, got {request.Offset}.");
        }

        if (request.Vector is null)
        {
            throw new ValidationException($"{field}.vector", "a query vector is required.");
        }

        if (request.ScoreThreshold is { } t && !double.IsFinite(t))
        {
            throw new ValidationException($"{field}.score_threshold", "must be a finite number.");
        }

        var name = request.Using ?? string.Empty;
        var space = _table.DenseNamed(name) ?? throw new ValidationException(
            $"{field}.using",
            _table.MultiNamed(name) is not null || _table.SparseNamed(name) is not null
                ? $"vector '{name}' is not a dense vector; query it with a multivector or sparse vector."
                : name.Length == 0 ? "this collection has no unnamed vector; say which vector to search (using)." : $"Not existing vector name error: {name}");
        var geometry = space.Geometry;
        var query = new float[space.Dimension];
        VectorPreparer.Prepare(geometry, space.Curvature, space.Dimension, request.Vector, query, projectOntoManifold: false, $"{field}.vector");
        var queryAux = GeometryMath.Aux(geometry, space.Curvature, query);
        var k = (int)Math.Min((long)request.Limit + request.Offset, int.MaxValue);
        var higherIsBetter = GeometryInfo.HigherIsBetter(geometry);

        using (ReadScope())
        {
            var filter = request.Filter is { IsEmpty: false } f ? f : null;
            var hits = FindNeighbors(space, query, queryAux, k, request, filter);
            var scored = new (double Score, int Slot)[hits.Length];
            for (var i = 0; i < hits.Length; i++)
            {
                scored[i] = (GeometryMath.Score(geometry, space.Curvature, query, space.Vectors.Get(hits[i].Slot)), hits[i].Slot);
            }

            return Rank(scored, higherIsBetter, request.Offset, request.Limit, request.ScoreThreshold, request.WithPayload, request.WithVector);
        }
    }

    /// <summary>
    /// Scored slots into results: best first (equal scores by lower id), offset, limit and score
    /// threshold applied, payload and vectors copied out. Under the read lock.
    /// </summary>
    private List<ScoredPoint> Rank((double Score, int Slot)[] scored, bool higherIsBetter, int offset, int limit, double? threshold, PayloadSelector withPayload, VectorSelector withVector)
    {
        Array.Sort(scored, (a, b) =>
        {
            var c = higherIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score);
            return c != 0 ? c : _table.IdAt(a.Slot).CompareTo(_table.IdAt(b.Slot));
        });

        var results = new List<ScoredPoint>(Math.Min(limit, scored.Length));
        for (var i = offset; i < scored.Length && results.Count < limit; i++)
        {
            var (score, slot) = scored[i];
            if (threshold is { } t && (higherIsBetter ? score < t : score > t))
            {
                break;
            }

            var (unnamed, named) = ReadVectors(slot, withVector);
            results.Add(new ScoredPoint(_table.IdAt(slot), _table.VersionAt(slot), score, unnamed, withPayload.Apply(_table.PayloadAt(slot))) { Vectors = named });
        }

        return results;
    }

    /// <summary>The exact scan, specialised per geometry kernel and per filter kind.</summary>
    private readonly struct ExactScan(PointTable table, DenseSpace space, float[] query, float queryAux, int k, PayloadIndexes.SlotPredicate? filter) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace =>
            filter is null
                ? FlatSearch.Search<TSpace, LiveSlots, IdOrder>(space.Vectors, query, queryAux, k, table.SlotCount, new LiveSlots(table, space), new IdOrder(table))
                : FlatSearch.Search<TSpace, PlannedSlots, IdOrder>(space.Vectors, query, queryAux, k, table.SlotCount, new PlannedSlots(table, space, filter), new IdOrder(table));
    }
}
