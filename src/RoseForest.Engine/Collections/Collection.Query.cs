using RoseForest.Core.Filters;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// Finds other collections of the same database by name, for <c>lookup_from</c> and
    /// <c>with_lookup</c>; set by <see cref="RoseForestDatabase"/>. Without it only this collection is known.
    /// </summary>
    internal Func<string, Collection>? CollectionResolver { get; set; }

    /// <summary>
    /// A query (Qdrant's universal query): see <see cref="QueryRequest"/>. Point ids given as
    /// inputs are read first (here or from <see cref="QueryRequest.LookupFrom"/>; a missing point
    /// is a <see cref="PointNotFoundException"/>), then the whole query runs under one read lock,
    /// so every stage sees the same state.
    /// </summary>
    public async ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var spec = QuerySpec.Root(request, string.Empty);
        var started = _time.GetTimestamp();
        var vectors = await ResolveInputsAsync(spec, cancellationToken).ConfigureAwait(false);
        vectors.AdapterTenant = ChooseAdapter(request);
        IReadOnlyList<ScoredPoint> result;
        using (ReadScope())
        {
            var hits = RunRoot(spec, vectors);
            var skip = spec.Query is SampleQuery && spec.Prefetches.Count == 0 ? 0 : request.Offset;
            result = Materialize(hits.Skip(skip).Take(request.Limit), request.WithPayload, request.WithVector);
        }

        RecordQuery(started);
        return result;
    }

    /// <summary>Several queries; the results come back in the same order. Every request is checked before any runs.</summary>
    public async ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(IReadOnlyList<QueryRequest> requests, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            QuerySpec.Root(requests[i] ?? throw new ValidationException($"searches[{i}]", "must not be null."), $"searches[{i}]");
        }

        var results = new IReadOnlyList<ScoredPoint>[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            results[i] = await QueryAsync(requests[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Reads the vectors of every point id a query names, per lookup collection and vector name,
    /// before the query takes its read lock (the lookup collection may be this one).
    /// </summary>
    private async Task<InputVectors> ResolveInputsAsync(QuerySpec root, CancellationToken cancellationToken)
    {
        var resolved = new InputVectors();
        var wanted = new Dictionary<(string Collection, string Vector), HashSet<PointId>>();
        var documents = new List<(DocumentVector, string, string)>();
        foreach (var node in root.SelfAndDescendants())
        {
            foreach (var (input, field) in node.Inputs())
            {
                if (input.Vector is DocumentVector doc)
                {
                    documents.Add((doc, node.Using, field));
                }
                else if (input.Id is { } id)
                {
                    var key = (node.LookupCollection(Name), node.LookupVector);
                    if (!wanted.TryGetValue(key, out var ids))
                    {
                        wanted[key] = ids = [];
                    }

                    ids.Add(id);
                }
            }
        }

        foreach (var ((collectionName, vectorName), ids) in wanted)
        {
            var source = ResolveCollection(collectionName);
            var records = await source.GetAsync([.. ids], PayloadSelector.None, VectorSelector.Only(vectorName), cancellationToken).ConfigureAwait(false);
            var found = records.ToDictionary(r => r.Id);
            foreach (var id in ids)
            {
                var record = found.TryGetValue(id, out var r) ? r : throw new PointNotFoundException(id);
                VectorData? vector = vectorName.Length == 0 && record.Vector is { } unnamed
                    ? new DenseVector(unnamed)
                    : record.Vectors?.GetValueOrDefault(vectorName);
                resolved[(collectionName, vectorName, id)] = vector ?? throw new NotFoundException($"Vector with name \"{vectorName}\" for point {id} not found");
            }
        }

        if (documents.Count > 0)
        {
            resolved.Documents = await EmbedAsync(documents, cancellationToken).ConfigureAwait(false);
        }

        return resolved;
    }

    /// <summary>A query's inputs read before it runs: stored vectors of the points it names, and its texts embedded.</summary>
    private sealed class InputVectors : Dictionary<(string Collection, string Vector, PointId Id), VectorData>
    {
        public Dictionary<DocumentVector, VectorData>? Documents { get; set; }

        /// <summary>Whose query adapter nearest queries apply ("" the collection's), or null for none; see <see cref="ChooseAdapter"/>.</summary>
        public string? AdapterTenant { get; set; }
    }

    /// <summary>This collection, or another of the same database (<see cref="CollectionNotFoundException"/> when there is none).</summary>
    private Collection ResolveCollection(string name) =>
        name == Name ? this : CollectionResolver?.Invoke(name) ?? throw new CollectionNotFoundException(name);

    /// <summary>Runs a checked query tree under the read lock: the root's hits, best first, offset not yet applied.</summary>
    private List<Hit> RunRoot(QuerySpec spec, InputVectors vectors)
    {
        var plan = Bind(spec, vectors);
        var excluded = spec.ReferencedIds(Name);
        Filter? root = excluded.Count == 0 ? null : new Filter(mustNot: [Condition.HasId([.. excluded])]);
        return Execute(plan, root);
    }
}
