using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>What the MCP tools act on: the memories, the documents of Qdrant's pair, and the caller's confinement.</summary>
/// <param name="Memories">The memory store (embedded or a <see cref="MemoryClient"/>).</param>
/// <param name="Documents">The store behind qdrant-store and qdrant-find.</param>
/// <param name="Boundary">When set, every tool call is confined to this scope (ids filled in, others refused).</param>
public sealed record ToolContext(IMemoryStore Memories, DocumentStore Documents, MemoryScope? Boundary = null)
{
    /// <summary>The actor the history records for MCP writes.</summary>
    public string Actor { get; init; } = "mcp";
}
