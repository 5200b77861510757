using System.Text.Json;
using Microsoft.Extensions.AI;

namespace RoseForest.Memory;

/// <summary>
/// Qdrant's MCP pair (mcp-server-qdrant's <c>qdrant-store</c> and <c>qdrant-find</c>) for drop-in
/// use: text embedded into a collection as points whose payload is <c>{"document": text,
/// "metadata": {...}}</c>, and found again by similarity. A collection that does not exist is
/// created (cosine, the embedder's dimension) on the first store. Unlike memories, documents have
/// no scope, versions or keyword side: they are what mcp-server-qdrant keeps.
/// </summary>
public sealed class DocumentStore
{
    /// <summary>The collection used when a call names none.</summary>
    public const string DefaultCollectionName = "documents";

    private readonly IVectorDatabase _database;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly TimeProvider _time;

    /// <summary>A document store over <paramref name="database"/> embedding with <paramref name="embedder"/> (neither owned).</summary>
    public DocumentStore(IVectorDatabase database, IEmbeddingGenerator<string, Embedding<float>> embedder, string defaultCollection = DefaultCollectionName, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(embedder);
        CollectionOptions.ValidateName(defaultCollection);
        _database = database;
        _embedder = embedder;
        _time = timeProvider ?? TimeProvider.System;
        DefaultCollection = defaultCollection;
    }

    /// <summary>The collection used when a call names none.</summary>
    public string DefaultCollection { get; }

    /// <summary>Embeds and stores <paramref name="information"/>; returns the new point's id.</summary>
    public async Task<Guid> StoreAsync(string information, string? collectionName = null, JsonElement? metadata = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(information))
        {
            throw new ValidationException("information", "must not be empty.");
        }

        if (metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            throw new ValidationException("metadata", "must be a JSON object.");
        }

        var name = collectionName ?? DefaultCollection;
        CollectionOptions.ValidateName(name);
        var vector = (await _embedder.GenerateAsync([information], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.ToArray();
        if (!await _database.CollectionExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _database.CreateCollectionAsync(name, new CollectionOptions { Dimension = vector.Length, Geometry = Geometry.Cosine }, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectionAlreadyExistsException)
            {
                // Created meanwhile.
            }
        }

        var payload = new Dictionary<string, object?> { ["document"] = information, ["metadata"] = metadata is { ValueKind: JsonValueKind.Object } m ? m : null };
        var id = Guid.CreateVersion7(_time.GetUtcNow());
        await _database.GetCollection(name).UpsertAsync([new PointStruct(id, vector, JsonSerializer.SerializeToElement(payload))], cancellationToken: cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The documents most similar to <paramref name="query"/>, best first (none when the collection does not exist).</summary>
    public async Task<IReadOnlyList<FoundDocument>> FindAsync(string query, string? collectionName = null, int limit = 10, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ValidationException("query", "must not be empty.");
        }

        var name = collectionName ?? DefaultCollection;
        CollectionOptions.ValidateName(name);
        if (!await _database.CollectionExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var vector = (await _embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.ToArray();
        var hits = await _database.GetCollection(name).SearchAsync(new SearchRequest { Vector = vector, Limit = limit, WithPayload = PayloadSelector.All }, cancellationToken).ConfigureAwait(false);
        return [.. hits.Select(h => new FoundDocument(
            h.Payload is { } p && p.TryGetProperty("document", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty,
            h.Payload is { } q && q.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object ? md.Clone() : null,
            h.Score))];
    }
}

/// <summary>A document found by <see cref="DocumentStore.FindAsync"/>.</summary>
/// <param name="Document">The stored text.</param>
/// <param name="Metadata">Its metadata, or null.</param>
/// <param name="Score">Cosine similarity with the query.</param>
public sealed record FoundDocument(string Document, JsonElement? Metadata, double Score);
