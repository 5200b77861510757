using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Communication;

/// <summary>The few collection operations the communication services share: open-or-create, put a record, scroll everything.</summary>
internal static class Store
{
    /// <summary>The vector of a record-only collection (registry, tombstones): one coordinate, always 0.</summary>
    private static readonly float[] Zero = [0f];

    public static async Task<IVectorCollection> OpenAsync(IVectorDatabase database, string name, CancellationToken ct, CollectionOptions? options = null)
    {
        if (!await database.CollectionExistsAsync(name, ct).ConfigureAwait(false))
        {
            try
            {
                await database.CreateCollectionAsync(name, options ?? new CollectionOptions { Dimension = 1, Geometry = Geometry.Euclid, Hnsw = null }, ct).ConfigureAwait(false);
            }
            catch (CollectionAlreadyExistsException)
            {
                // Created meanwhile by another caller: use it.
            }
        }

        return database.GetCollection(name);
    }

    public static Task PutAsync(IVectorCollection collection, Guid id, JsonObject payload, CancellationToken ct) =>
        collection.UpsertAsync([new PointStruct(PointId.FromUuid(id), Zero, ToElement(payload))], cancellationToken: ct);

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);

    public static async IAsyncEnumerable<Record> ScrollAllAsync(IVectorCollection collection, [EnumeratorCancellation] CancellationToken ct, bool withVectors = false)
    {
        PointId? offset = null;
        do
        {
            var page = await collection.ScrollAsync(new ScrollRequest { Limit = 1000, Offset = offset, WithPayload = PayloadSelector.All, WithVector = withVectors ? VectorSelector.All : VectorSelector.None }, ct).ConfigureAwait(false);
            foreach (var record in page.Points)
            {
                yield return record;
            }

            offset = page.NextOffset;
        }
        while (offset is not null);
    }
}
