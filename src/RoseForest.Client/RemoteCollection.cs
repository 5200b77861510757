using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Client;

/// <summary>One collection of a remote database (see <see cref="RoseForestClient"/>). A missing collection surfaces at the first call.</summary>
internal sealed partial class RemoteCollection(RoseForestClient client, string name) : IVectorCollection
{
    private readonly string _path = RoseForestClient.Path(name);

    public string Name => name;

    public async Task<UpdateResult> UpsertAsync(IReadOnlyList<PointStruct> points, UpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (options?.ProjectOntoManifold == true)
        {
            throw new ValidationException("project_onto_manifold", "projecting hyperbolic points onto the manifold is an embedded-API option; the REST API refuses off-manifold points.");
        }

        return Update(await client.SendAsync(HttpMethod.Put, _path + "/points?wait=true", w => QdrantJson.WriteUpsert(w, points, options), cancellationToken).ConfigureAwait(false), points.Count);
    }

    public async Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<PointStruct> points, Filter? updateFilter = null, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Put, _path + "/points/vectors?wait=true", w => QdrantJson.WriteUpdateVectors(w, points, updateFilter), cancellationToken).ConfigureAwait(false), points.Count);

    public async Task<UpdateResult> DeleteVectorsAsync(PointSelector selector, IReadOnlyList<string> vectorNames, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Post, _path + "/points/vectors/delete?wait=true", w => QdrantJson.WriteDeleteVectors(w, selector, vectorNames), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async Task<IReadOnlyList<UpdateResult>> UpdateBatchAsync(IReadOnlyList<UpdateOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var result = await client.SendAsync(HttpMethod.Post, _path + "/points/batch?wait=true", w => QdrantJson.WriteUpdateBatch(w, operations), cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(QdrantJson.ReadUpdate)];
    }

    public async Task<UpdateResult> DeleteAsync(PointSelector selector, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Post, _path + "/points/delete?wait=true", w => QdrantJson.WriteSelectorBody(w, selector), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async Task<UpdateResult> SetPayloadAsync(PointSelector selector, JsonElement payload, string? key = null, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Post, _path + "/points/payload?wait=true", w => QdrantJson.WriteSetPayload(w, selector, payload, key), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async Task<UpdateResult> OverwritePayloadAsync(PointSelector selector, JsonElement payload, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Put, _path + "/points/payload?wait=true", w => QdrantJson.WriteSetPayload(w, selector, payload, null), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async Task<UpdateResult> DeletePayloadKeysAsync(PointSelector selector, IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Post, _path + "/points/payload/delete?wait=true", w => QdrantJson.WriteDeletePayload(w, selector, keys), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async Task<UpdateResult> ClearPayloadAsync(PointSelector selector, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Post, _path + "/points/payload/clear?wait=true", w => QdrantJson.WriteSelectorBody(w, selector), cancellationToken).ConfigureAwait(false), selector.Ids?.Count ?? 0);

    public async ValueTask<IReadOnlyList<Record>> GetAsync(IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVector = null, CancellationToken cancellationToken = default)
    {
        var result = await client.SendAsync(HttpMethod.Post, _path + "/points", w => QdrantJson.WriteRetrieve(w, ids, withPayload ?? PayloadSelector.All, withVector ?? VectorSelector.None), cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(QdrantJson.ReadRecord)];
    }

    public async ValueTask<ScrollPage> ScrollAsync(ScrollRequest request, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadScrollPage(await client.SendAsync(HttpMethod.Post, _path + "/points/scroll", w => QdrantJson.WriteScroll(w, request), cancellationToken).ConfigureAwait(false));

    public async ValueTask<long> CountAsync(Filter? filter = null, CancellationToken cancellationToken = default) =>
        (await client.SendAsync(HttpMethod.Post, _path + "/points/count", w => QdrantJson.WriteCount(w, filter), cancellationToken).ConfigureAwait(false)).GetProperty("count").GetInt64();

    public ValueTask<IReadOnlyList<ScoredPoint>> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default) =>
        QueryAsync(QueryRequest.From(request), cancellationToken);

    public async ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadQueryResponse(await client.SendAsync(HttpMethod.Post, _path + "/points/query", w => QdrantJson.WriteQuery(w, request), cancellationToken).ConfigureAwait(false));

    public ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default) =>
        QueryBatchAsync([.. requests.Select(QueryRequest.From)], cancellationToken);

    public async ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(IReadOnlyList<QueryRequest> requests, CancellationToken cancellationToken = default)
    {
        var result = await client.SendAsync(HttpMethod.Post, _path + "/points/query/batch", w => QdrantJson.WriteQueryBatch(w, requests), cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(QdrantJson.ReadQueryResponse)];
    }

    public async Task<UpdateResult> CreatePayloadIndexAsync(string fieldName, PayloadIndexParams schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Update(await client.SendAsync(HttpMethod.Put, _path + "/index?wait=true", w => QdrantJson.WriteCreateFieldIndex(w, fieldName, schema), cancellationToken).ConfigureAwait(false), 0);
    }

    public async Task<UpdateResult> DeletePayloadIndexAsync(string fieldName, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Delete, _path + "/index/" + Uri.EscapeDataString(fieldName) + "?wait=true", null, cancellationToken).ConfigureAwait(false), 0);

    public async Task<UpdateResult> CreateVectorAsync(string vectorName, VectorNameConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Update(await client.SendAsync(HttpMethod.Put, _path + "/vectors/" + Uri.EscapeDataString(vectorName) + "?wait=true", w => QdrantJson.WriteVectorNameConfig(w, config), cancellationToken).ConfigureAwait(false), 0);
    }

    public async Task<UpdateResult> DeleteVectorAsync(string vectorName, CancellationToken cancellationToken = default) =>
        Update(await client.SendAsync(HttpMethod.Delete, _path + "/vectors/" + Uri.EscapeDataString(vectorName) + "?wait=true", null, cancellationToken).ConfigureAwait(false), 0);

    /// <summary>PATCH answers <c>true</c>, not an operation id: the result carries none.</summary>
    public async Task<UpdateResult> UpdateCollectionAsync(CollectionUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await client.SendAsync(HttpMethod.Patch, _path, w => QdrantJson.WriteCollectionUpdate(w, update), cancellationToken).ConfigureAwait(false);
        return new UpdateResult(0, 0);
    }

    public async ValueTask<IReadOnlyList<PointGroup>> QueryGroupsAsync(QueryGroupsRequest request, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadGroupsResponse(await client.SendAsync(HttpMethod.Post, _path + "/points/query/groups", w => QdrantJson.WriteQueryGroups(w, request), cancellationToken).ConfigureAwait(false));

    /// <summary>Through the offsets form, the one that carries the sampled ids in order.</summary>
    public async ValueTask<SearchMatrix> SearchMatrixAsync(SearchMatrixRequest request, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadMatrixOffsets(await client.SendAsync(HttpMethod.Post, _path + "/points/search/matrix/offsets", w => QdrantJson.WriteSearchMatrix(w, request), cancellationToken).ConfigureAwait(false));

    public async ValueTask<IReadOnlyList<FacetHit>> FacetAsync(FacetRequest request, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadFacetResponse(await client.SendAsync(HttpMethod.Post, _path + "/facet", w => QdrantJson.WriteFacet(w, request), cancellationToken).ConfigureAwait(false));

    /// <summary>Qdrant's update answer has no count of points: the count of ids named (0 for a filter).</summary>
    private static UpdateResult Update(JsonElement result, int points) => QdrantJson.ReadUpdate(result) with { PointsAffected = points };
}
