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

        var filter = request.Filter;
        float[] vector;
        if (request.Vector is { } v)
        {
            vector = v;
        }
        else if (request.NearestTo is { } id)
        {
            var record = await GetAsync(id, PayloadSelector.None, withVector: true, cancellationToken).ConfigureAwait(false)
                ?? throw new PointNotFoundException(id);
            vector = record.Vector!;
            var notItself = Condition.HasId(id);
            filter = filter is null
                ? new Filter(mustNot: [notItself])
                : new Filter(must: [Condition.Nested(filter)], mustNot: [notItself]);
        }
        else
        {
            if (request.Limit < 1)
            {
                throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
            }

            var page = await ScrollAsync(new ScrollRequest { Limit = request.Limit + request.Offset, Filter = filter, WithPayload = request.WithPayload, WithVector = request.WithVector }, cancellationToken).ConfigureAwait(false);
            return [.. page.Points.Skip(request.Offset).Select(r => new ScoredPoint(r.Id, r.Version, 0, r.Vector, r.Payload))];
        }

        return await SearchAsync(request.ToSearch(vector, filter), cancellationToken).ConfigureAwait(false);
    }
}
