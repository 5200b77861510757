using RoseForest.Core.Filters;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// A query: the nearest points to <see cref="QueryRequest.Vector"/>, or to the stored vector
    /// of <see cref="QueryRequest.NearestTo"/> (that point left out; <see cref="PointNotFoundException"/>
    /// when it does not exist), or, with neither, points in id order with score 0.
    /// </summary>
    public async ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Vector is not null && request.NearestTo is not null)
        {
            throw new ValidationException("query", "give a vector or a point id, not both.");
        }

        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        if (request.Offset < 0)
        {
            throw new ValidationException("offset", $"must not be negative, got {request.Offset}.");
        }

        var inputs = (request.Vector is null ? 0 : 1) + (request.Sparse is null ? 0 : 1) + (request.Multi is null ? 0 : 1) + (request.NearestTo is null ? 0 : 1);
        if (inputs > 1)
        {
            throw new ValidationException("query", "give one of a vector, a sparse vector, a multivector or a point id.");
        }

        var name = request.Using ?? string.Empty;
        var filter = request.Filter is { IsEmpty: false } f ? f : null;
        if (request.NearestTo is { } id)
        {
            // The point's own vector of that name, the point itself left out.
            var record = await GetAsync([id], PayloadSelector.None, VectorSelector.Only(name), cancellationToken).ConfigureAwait(false);
            var point = record.Count > 0 ? record[0] : throw new PointNotFoundException(id);
            var notItself = Condition.HasId(id);
            filter = filter is null ? new Filter(mustNot: [notItself]) : new Filter(must: [Condition.Nested(filter)], mustNot: [notItself]);
            VectorData stored = name.Length == 0 && point.Vector is { } unnamed
                ? new DenseVector(unnamed)
                : point.Vectors?.GetValueOrDefault(name) ?? throw new ValidationException("query", $"point {id} has no vector '{name}'.");
            return RunNearest(stored, name, request, filter);
        }

        if (request.Vector is { } v)
        {
            return RunNearest(new DenseVector(v), name, request, filter);
        }

        if (request.Sparse is { } sparse)
        {
            return RunNearest(sparse, name, request, filter);
        }

        if (request.Multi is { } multi)
        {
            return RunNearest(new MultiVector(multi), name, request, filter);
        }

        var page = await ScrollAsync(new ScrollRequest { Limit = request.Limit + request.Offset, Filter = filter, WithPayload = request.WithPayload, WithVector = request.WithVector }, cancellationToken).ConfigureAwait(false);
        return [.. page.Points.Skip(request.Offset).Select(r => new ScoredPoint(r.Id, r.Version, 0, r.Vector, r.Payload) { Vectors = r.Vectors })];
    }

    /// <summary>Nearest points to a query vector in the space <paramref name="name"/> names, by that space's kind.</summary>
    private IReadOnlyList<ScoredPoint> RunNearest(VectorData query, string name, QueryRequest request, Filter? filter)
    {
        ThrowIfClosed();
        if (_table.SparseNamed(name) is { } sparse)
        {
            return query is SparseVector sv
                ? SearchSparse(sparse, sv, request, filter, "query")
                : throw new ValidationException("query", $"vector '{name}' is sparse: query it with {{\"indices\", \"values\"}}.");
        }

        if (_table.MultiNamed(name) is { } multi)
        {
            return query switch
            {
                MultiVector m => SearchMulti(multi, m.Vectors, request, filter, "query"),
                DenseVector d => SearchMulti(multi, [d.Values], request, filter, "query"),
                _ => throw new ValidationException("query", $"vector '{name}' is a multivector: query it with an array of arrays."),
            };
        }

        if (query is not DenseVector dense)
        {
            throw new ValidationException("query", _table.DenseNamed(name) is null && name.Length > 0 ? $"Not existing vector name error: {name}" : $"vector '{name}' is dense: query it with an array of numbers.");
        }

        return Search(request.ToSearch(dense.Values, filter), "query");
    }
}
