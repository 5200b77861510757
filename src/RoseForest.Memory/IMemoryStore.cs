namespace RoseForest.Memory;

/// <summary>
/// Agent memory: scoped, versioned, time-aware memories with hybrid recall. The one interface
/// under every way in (the REST routes, MCP, the typed client): <see cref="MemoryStore"/>
/// implements it over a RoseForest collection, <see cref="MemoryClient"/> over REST. Errors are
/// typed: <see cref="ValidationException"/> for bad input, <see cref="NotFoundException"/> for a
/// memory that does not exist or lies outside the caller's scope.
/// </summary>
public interface IMemoryStore : IAsyncDisposable
{
    /// <summary>Stores a memory (or, with infer, the facts a chat client extracts); near-duplicates in the same scope merge.</summary>
    Task<IReadOnlyList<MemoryEvent>> AddAsync(AddMemoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>The memories most relevant to a query, best first; nothing when nothing clears the threshold.</summary>
    Task<IReadOnlyList<MemoryHit>> SearchAsync(SearchMemoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>One memory; <paramref name="within"/> confines the caller (outside it: not found).</summary>
    Task<MemoryRecord> GetAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default);

    /// <summary>A page of a scope's memories in creation order.</summary>
    Task<MemoryPage> ListAsync(ListMemoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes a memory, creating a new version (or, with supersede, a new memory that replaces it).</summary>
    Task<MemoryRecord> UpdateAsync(UpdateMemoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes one memory and its history.</summary>
    Task DeleteAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every memory in a scope (at least one id); returns how many.</summary>
    Task<int> DeleteAllAsync(MemoryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Every version of a memory, oldest first, with who and when.</summary>
    Task<IReadOnlyList<MemoryVersion>> HistoryAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default);

    /// <summary>Clusters the scope's unconsolidated episodic memories into semantic patterns (incremental).</summary>
    Task<ConsolidationReport> ConsolidateAsync(MemoryScope scope, CancellationToken cancellationToken = default);
}
