using Microsoft.Extensions.AI;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>What the memory parts of a server need: the embedder and the memory settings.</summary>
public sealed class MemoryServerOptions
{
    /// <summary>The embedder (owned by the caller; all-MiniLM-L6-v2 in the product).</summary>
    public required IEmbeddingGenerator<string, Embedding<float>> Embedder { get; init; }

    /// <summary>The memory store's settings.</summary>
    public MemoryOptions Memory { get; init; } = new();

    /// <summary>The collection qdrant-store and qdrant-find use when a call names none.</summary>
    public string DocumentsCollection { get; init; } = DocumentStore.DefaultCollectionName;

    /// <summary>When set, every MCP call is confined to this scope.</summary>
    public MemoryScope? McpBoundary { get; init; }
}
