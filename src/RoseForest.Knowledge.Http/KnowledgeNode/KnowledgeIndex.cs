using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using RoseForest.Core.Filters;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// Knowledge searchable by meaning: each live knowledge id's readable version has its
/// <c>content.text</c> embedded into the <c>_knowledge</c> collection (cosine, the embedder's
/// dimension, buffered durability: it is derived data, rebuilt from the knowledge state when it
/// disagrees; created with the first package). Point id: a UUID from the SHA-256 of the knowledge id; payload: knowledge_id,
/// version_id, domain, type, generated_by, confidence, tags.
/// </summary>
internal sealed class KnowledgeIndex(IVectorDatabase db, IEmbeddingGenerator<string, Embedding<float>> embedder)
{
    /// <summary>The collection holding the embeddings.</summary>
    public const string CollectionName = "_knowledge";

    private int _dimension;

    /// <summary>
    /// Learns the embedder's dimension and drops an index built with another one (it is rebuilt).
    /// The collection itself is created with the first package, so a server that never publishes
    /// lists no extra collection.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // The embedder's metadata names its dimension without loading a model; probe only when it does not.
        _dimension = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
            ?? (await EmbedAsync(["dimension probe"], cancellationToken).ConfigureAwait(false))[0].Length;
        if (await db.CollectionExistsAsync(CollectionName, cancellationToken).ConfigureAwait(false))
        {
            var info = await db.GetCollectionInfoAsync(CollectionName, cancellationToken).ConfigureAwait(false);
            if (info.Dimension != _dimension || info.Geometry != Core.Geometry.Cosine)
            {
                await db.DeleteCollectionAsync(CollectionName, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
        => await db.CollectionExistsAsync(CollectionName, cancellationToken).ConfigureAwait(false);

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await db.CreateCollectionAsync(CollectionName, new CollectionOptions { Dimension = _dimension, Geometry = Core.Geometry.Cosine, Durability = Durability.Buffered }, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectionAlreadyExistsException)
            {
            }
        }
    }

    /// <summary>The version id indexed for each knowledge id.</summary>
    public async Task<Dictionary<string, string>> IndexedVersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return versions;
        }

        PointId? offset = null;
        do
        {
            var page = await Points.ScrollAsync(new ScrollRequest { Limit = 1000, Offset = offset, WithPayload = PayloadSelector.Include("knowledge_id", "version_id") }, cancellationToken).ConfigureAwait(false);
            foreach (var point in page.Points)
            {
                if (point.Payload is { } p && p.TryGetProperty("knowledge_id", out var id) && p.TryGetProperty("version_id", out var version))
                {
                    versions[id.GetString()!] = version.GetString()!;
                }
            }

            offset = page.NextOffset;
        }
        while (offset is not null);
        return versions;
    }

    /// <summary>Embeds and stores the given packages (the readable version of each knowledge id, with its live tags).</summary>
    public async Task UpsertAsync(IReadOnlyList<(KnowledgePackage Package, IReadOnlyList<string> Tags)> items, CancellationToken cancellationToken)
    {
        for (var start = 0; start < items.Count; start += 64)
        {
            var chunk = items.Skip(start).Take(64).ToList();
            var vectors = await EmbedAsync([.. chunk.Select(c => c.Package.Content!.Text!)], cancellationToken).ConfigureAwait(false);
            var points = new List<PointStruct>(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var (package, tags) = chunk[i];
                var payload = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
                {
                    ["knowledge_id"] = package.KnowledgeId,
                    ["version_id"] = package.VersionId,
                    ["domain"] = package.Metadata!.Domain,
                    ["type"] = package.Metadata.Type,
                    ["generated_by"] = package.Content!.GeneratedBy,
                    ["confidence"] = package.Confidence!.Overall,
                    ["tags"] = tags,
                });
                if (vectors[i].Any(x => x != 0))
                {
                    points.Add(new PointStruct(PointFor(package.KnowledgeId!), vectors[i], payload));
                }
            }

            if (points.Count > 0)
            {
                await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                await Points.UpsertAsync(points, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes knowledge ids from the index.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> knowledgeIds, CancellationToken cancellationToken)
    {
        if (knowledgeIds.Count > 0 && await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await Points.DeleteAsync(PointSelector.ById([.. knowledgeIds.Select(PointFor)]), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The nearest knowledge to a query text: (knowledge id, cosine similarity), best first.</summary>
    public async Task<IReadOnlyList<(string KnowledgeId, double Similarity)>> SearchAsync(string query, int limit, Filter? filter, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var vector = (await EmbedAsync([query], cancellationToken).ConfigureAwait(false))[0];
        var hits = await Points.SearchAsync(new SearchRequest { Vector = vector, Limit = limit, Filter = filter, WithPayload = PayloadSelector.Include("knowledge_id") }, cancellationToken).ConfigureAwait(false);
        return [.. hits.Where(h => h.Payload is not null).Select(h => (h.Payload!.Value.GetProperty("knowledge_id").GetString()!, h.Score))];
    }

    /// <summary>The point that holds a knowledge id's embedding.</summary>
    public static PointId PointFor(string knowledgeId)
        => PointId.FromUuid(new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(knowledgeId)).AsSpan(0, 16)));

    private IVectorCollection Points => db.GetCollection(CollectionName);

    private async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var embeddings = await embedder.GenerateAsync(texts, null, cancellationToken).ConfigureAwait(false);
        var vectors = new float[embeddings.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = embeddings[i].Vector.ToArray();
            if (_dimension != 0 && vectors[i].Length != _dimension)
            {
                throw new InvalidOperationException($"the embedder returned {vectors[i].Length} dimensions, expected {_dimension}.");
            }
        }

        return vectors;
    }
}
