using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
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

        var geometry = _options.Geometry;
        var query = new float[_options.Dimension];
        VectorPreparer.Prepare(geometry, _options.Curvature, _options.Dimension, request.Vector, query, projectOntoManifold: false, $"{field}.vector");
        var queryAux = GeometryMath.Aux(geometry, _options.Curvature, query);
        var k = (int)Math.Min((long)request.Limit + request.Offset, int.MaxValue);
        var higherIsBetter = GeometryInfo.HigherIsBetter(geometry);

        using (ReadScope())
        {
            var filter = request.Filter is { IsEmpty: false } f ? f : null;
            var hits = FindNeighbors(query, queryAux, k, request, filter);
            var scored = new (double Score, int Slot)[hits.Length];
            for (var i = 0; i < hits.Length; i++)
            {
                scored[i] = (GeometryMath.Score(geometry, _options.Curvature, query, _table.Vectors.Get(hits[i].Slot)), hits[i].Slot);
            }

            Array.Sort(scored, (a, b) =>
            {
                var c = higherIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score);
                return c != 0 ? c : _table.IdAt(a.Slot).CompareTo(_table.IdAt(b.Slot));
            });

            var results = new List<ScoredPoint>(Math.Min(request.Limit, scored.Length));
            for (var i = request.Offset; i < scored.Length && results.Count < request.Limit; i++)
            {
                var (score, slot) = scored[i];
                if (request.ScoreThreshold is { } threshold && (higherIsBetter ? score < threshold : score > threshold))
                {
                    break;
                }

                results.Add(new ScoredPoint(
                    _table.IdAt(slot),
                    _table.VersionAt(slot),
                    score,
                    request.WithVector ? _table.Vectors.Get(slot).ToArray() : null,
                    request.WithPayload.Apply(_table.PayloadAt(slot))));
            }

            return results;
        }
    }

    /// <summary>The exact scan, specialised per geometry kernel and per filter kind.</summary>
    private readonly struct ExactScan(PointTable table, float[] query, float queryAux, int k, Filter? filter) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace =>
            filter is null
                ? FlatSearch.Search<TSpace, LiveSlots, IdOrder>(table.Vectors, query, queryAux, k, table.SlotCount, new LiveSlots(table), new IdOrder(table))
                : FlatSearch.Search<TSpace, FilteredSlots, IdOrder>(table.Vectors, query, queryAux, k, table.SlotCount, new FilteredSlots(table, filter), new IdOrder(table));
    }
}
