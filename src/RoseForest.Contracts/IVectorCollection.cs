using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>
/// One collection's points: writes (acknowledged at the collection's durability level, applied
/// in LSN order) and reads. Implemented by the engine's <c>Collection</c> and by the REST client.
/// </summary>
public interface IVectorCollection
{
    /// <summary>The collection's name.</summary>
    string Name { get; }

    /// <summary>Inserts or replaces a batch of points atomically (a later entry with the same id wins).</summary>
    Task<UpdateResult> UpsertAsync(IReadOnlyList<PointStruct> points, UpsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given vectors of existing points, keeping their other vectors and payload (Qdrant's
    /// update_vectors). Ids must exist; with <paramref name="updateFilter"/>, points whose stored
    /// state does not match it are left unchanged.
    /// </summary>
    Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<PointStruct> points, Filter? updateFilter = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the named vectors from the selected points (Qdrant's delete_vectors).</summary>
    Task<UpdateResult> DeleteVectorsAsync(PointSelector selector, IReadOnlyList<string> vectorNames, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several writes in order (Qdrant's <c>/points/batch</c>): each starts after the one before it
    /// is applied; the first that fails stops the batch, and the writes before it stay applied (as Qdrant).
    /// </summary>
    Task<IReadOnlyList<UpdateResult>> UpdateBatchAsync(IReadOnlyList<UpdateOperation> operations, CancellationToken cancellationToken = default);

    /// <summary>Deletes the selected points (ids that do not exist are ignored).</summary>
    Task<UpdateResult> DeleteAsync(PointSelector selector, CancellationToken cancellationToken = default);

    /// <summary>Merges payload keys into the selected points (with <paramref name="key"/>, at that payload path). Selected ids must exist.</summary>
    Task<UpdateResult> SetPayloadAsync(PointSelector selector, JsonElement payload, string? key = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the whole payload of the selected points. Selected ids must exist.</summary>
    Task<UpdateResult> OverwritePayloadAsync(PointSelector selector, JsonElement payload, CancellationToken cancellationToken = default);

    /// <summary>Removes payload paths from the selected points. Selected ids must exist.</summary>
    Task<UpdateResult> DeletePayloadKeysAsync(PointSelector selector, IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Removes the whole payload of the selected points. Selected ids must exist.</summary>
    Task<UpdateResult> ClearPayloadAsync(PointSelector selector, CancellationToken cancellationToken = default);

    /// <summary>The points with these ids, in the order asked; missing ids are left out.</summary>
    ValueTask<IReadOnlyList<Record>> GetAsync(IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVector = null, CancellationToken cancellationToken = default);

    /// <summary>A page of points in id order.</summary>
    ValueTask<ScrollPage> ScrollAsync(ScrollRequest request, CancellationToken cancellationToken = default);

    /// <summary>The number of points, or of points matching the filter.</summary>
    ValueTask<long> CountAsync(Filter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The nearest points to a vector, best first.</summary>
    ValueTask<IReadOnlyList<ScoredPoint>> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>A query: nearest to a vector or to a stored point, or points in id order (see <see cref="QueryRequest"/>).</summary>
    ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Several searches at once; the results come back in the same order.</summary>
    ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Indexes the payload values at <paramref name="fieldName"/> (a payload path) as
    /// <paramref name="schema"/> says: filters on the field are answered from the index, and the
    /// planner estimates from it. Replaces an index of another schema on the same field; the same
    /// schema again changes nothing.
    /// </summary>
    Task<UpdateResult> CreatePayloadIndexAsync(string fieldName, PayloadIndexParams schema, CancellationToken cancellationToken = default);

    /// <summary>Drops the payload index of <paramref name="fieldName"/> (nothing happens when there is none).</summary>
    Task<UpdateResult> DeletePayloadIndexAsync(string fieldName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a named vector to the collection (Qdrant's create_vector_name): existing points do not
    /// have it until they are written with it. The same name with the same size, distance,
    /// datatype and comparator (or the same sparse modifier) again changes nothing; a name taken by
    /// another vector is refused. Implementations that cannot change a collection's vectors throw
    /// a <see cref="ValidationException"/> saying so.
    /// </summary>
    Task<UpdateResult> CreateVectorAsync(string vectorName, VectorNameConfig config, CancellationToken cancellationToken = default) =>
        throw new ValidationException("vector_name", $"adding a vector to an existing collection is not supported by {GetType().Name}.");

    /// <summary>Removes a named vector and its data from every point (Qdrant's delete_vector_name); nothing happens when there is no such vector.</summary>
    Task<UpdateResult> DeleteVectorAsync(string vectorName, CancellationToken cancellationToken = default) =>
        throw new ValidationException("vector_name", $"removing a vector from an existing collection is not supported by {GetType().Name}.");

    /// <summary>Changes the collection's settings (Qdrant's <c>PATCH /collections/{name}</c>); see <see cref="CollectionUpdate"/>.</summary>
    Task<UpdateResult> UpdateCollectionAsync(CollectionUpdate update, CancellationToken cancellationToken = default) =>
        throw new ValidationException("collection", $"changing a collection's settings is not supported by {GetType().Name}.");

    /// <summary>Several queries at once; the results come back in the same order.</summary>
    async ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(IReadOnlyList<QueryRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new IReadOnlyList<ScoredPoint>[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            results[i] = await QueryAsync(requests[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>A query whose results are grouped by a payload value (see <see cref="QueryGroupsRequest"/>).</summary>
    ValueTask<IReadOnlyList<PointGroup>> QueryGroupsAsync(QueryGroupsRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not implement grouped queries.");

    /// <summary>A random sample of points and each one's nearest among the sample (see <see cref="SearchMatrixRequest"/>).</summary>
    ValueTask<SearchMatrix> SearchMatrixAsync(SearchMatrixRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not implement the search matrix.");

    /// <summary>The most frequent values of a payload key and their counts (see <see cref="FacetRequest"/>).</summary>
    ValueTask<IReadOnlyList<FacetHit>> FacetAsync(FacetRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not implement facets.");
}
