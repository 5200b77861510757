using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// A distance matrix (Qdrant's search matrix): a random sample of the matching points that have
    /// the vector, in id order, and for each its <see cref="SearchMatrixRequest.Limit"/> nearest
    /// other sampled points, scored as a nearest query scores them. Fewer than two sampled points
    /// give an empty matrix.
    /// </summary>
    public ValueTask<SearchMatrix> SearchMatrixAsync(SearchMatrixRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Sample < 2)
        {
            throw new ValidationException("sample", $"must be at least 2, got {request.Sample}.");
        }

        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var name = request.Using ?? string.Empty;
        using (ReadScope())
        {
            var space = QuerySpace.For(_table, name, "using");
            var filter = request.Filter is { IsEmpty: false } f ? f : null;
            var sample = Sample([.. MatchingSlots(filter).Where(space.Has)], request.Sample).Select(h => h.Slot).ToList();
            if (sample.Count < 2)
            {
                return new(new SearchMatrix([], []));
            }

            sample.Sort((a, b) => _table.IdAt(a).CompareTo(_table.IdAt(b)));
            var pairs = new List<SearchMatrixPair>();
            foreach (var a in sample)
            {
                var (unnamed, named) = ReadVectors(a, VectorSelector.Only(name));
                var stored = name.Length == 0 && unnamed is not null ? new DenseVector(unnamed) : named![name];
                var query = space.Bind(stored, "using", project: false);
                foreach (var hit in ScoreNearest(space, query, sample.Where(b => b != a), request.Limit, threshold: null))
                {
                    pairs.Add(new SearchMatrixPair(_table.IdAt(a), _table.IdAt(hit.Slot), hit.Score));
                }
            }

            return new(new SearchMatrix([.. sample.Select(_table.IdAt)], pairs));
        }
    }
}
