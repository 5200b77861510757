using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Memory;

/// <summary>What to remember.</summary>
public sealed class AddMemoryRequest
{
    /// <summary>The text (a fact, an event, a conversation turn with <see cref="Infer"/>).</summary>
    public required string Text { get; init; }

    /// <summary>Whose memory; at least one id.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>A JSON object kept with the memory (filterable as <c>metadata.key</c>).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The kind; default semantic.</summary>
    public MemoryKind Kind { get; init; } = MemoryKind.Semantic;

    /// <summary>Ask the configured chat client to extract facts from <see cref="Text"/> (refused without one).</summary>
    public bool Infer { get; init; }

    /// <summary>Memories this one replaces: they stay, marked invalid from now on (found with <c>as_of</c>).</summary>
    public IReadOnlyList<Guid>? Supersedes { get; init; }

    /// <summary>Since when the fact holds (default now).</summary>
    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>Until when the fact holds (default open).</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>Hide the memory from search and list after this time.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Hide the memory from search and list this long after now (instead of <see cref="ExpiresAt"/>).</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Who is writing (recorded in the history).</summary>
    public string? Actor { get; init; }
}

/// <summary>How a search ranks.</summary>
public enum RecallMode
{
    /// <summary>Vector similarity and BM25 fused (with recency and importance).</summary>
    Hybrid,

    /// <summary>Vector similarity only.</summary>
    Vector,

    /// <summary>BM25 only.</summary>
    Keyword,
}

/// <summary>A recall query.</summary>
public sealed class SearchMemoryRequest
{
    /// <summary>The query text.</summary>
    public required string Query { get; init; }

    /// <summary>Whose memories; at least one id.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>Only memories matching this filter over the payload (<c>metadata.key</c>, <c>kind</c>, ...).</summary>
    public Filter? Filter { get; init; }

    /// <summary>How many memories at most (1 to 1000). Default 10.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>The world as the memory knew it then: facts valid at that time, superseded ones included.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Only this kind.</summary>
    public MemoryKind? Kind { get; init; }

    /// <summary>Drop hits whose relevance is below this (default <see cref="MemoryOptions.ScoreThreshold"/>); 0 keeps all.</summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>Hybrid (default), vector only, or keyword only.</summary>
    public RecallMode Mode { get; init; } = RecallMode.Hybrid;

    /// <summary>Fusion weights for this query (default <see cref="MemoryOptions.Fusion"/>).</summary>
    public FusionOptions? Fusion { get; init; }

    /// <summary>Count the hits as accesses (default true; benchmarks turn it off).</summary>
    public bool TrackAccess { get; init; } = true;
}

/// <summary>A page of memories in a scope.</summary>
public sealed class ListMemoryRequest
{
    /// <summary>Whose memories; at least one id.</summary>
    public required MemoryScope Scope { get; init; }

    /// <summary>Page size (1 to 1000). Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Where to continue, from the previous page's <see cref="MemoryPage.NextCursor"/>.</summary>
    public string? Cursor { get; init; }

    /// <summary>Only this kind.</summary>
    public MemoryKind? Kind { get; init; }

    /// <summary>Include superseded and TTL-expired memories.</summary>
    public bool IncludeExpired { get; init; }
}

/// <summary>A change to one memory.</summary>
public sealed class UpdateMemoryRequest
{
    /// <summary>The memory.</summary>
    public required Guid Id { get; init; }

    /// <summary>The new text (null keeps it).</summary>
    public string? Text { get; init; }

    /// <summary>Metadata keys to set (merged into the memory's metadata; a null value removes a key).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>
    /// Instead of editing in place, store the new text as a new memory that supersedes this one
    /// (the old one is kept, valid until now).
    /// </summary>
    public bool Supersede { get; init; }

    /// <summary>With <see cref="Supersede"/>: since when the new fact holds (default now).</summary>
    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>The caller's confinement: a memory outside it is not found.</summary>
    public MemoryScope? Within { get; init; }

    /// <summary>Who is writing (recorded in the history).</summary>
    public string? Actor { get; init; }
}

/// <summary>A search hit.</summary>
/// <param name="Memory">The memory.</param>
/// <param name="Score">The fused score the hits are ordered by.</param>
/// <param name="VectorScore">Cosine similarity of query and memory.</param>
/// <param name="KeywordScore">BM25 score (0 when no query term occurs).</param>
/// <param name="Relevance">What the threshold is compared with: the larger of the cosine and the share of the query's idf weight the memory's words cover.</param>
public sealed record MemoryHit(MemoryRecord Memory, double Score, double VectorScore, double KeywordScore, double Relevance);

/// <summary>A page of a listing.</summary>
/// <param name="Memories">The memories, oldest first.</param>
/// <param name="NextCursor">The cursor of the next page, or null at the end.</param>
public sealed record MemoryPage(IReadOnlyList<MemoryRecord> Memories, string? NextCursor);

/// <summary>What an add did to one memory.</summary>
/// <param name="Id">The memory.</param>
/// <param name="Event"><c>add</c> (new), <c>merge</c> (a near-duplicate existed), <c>supersede</c> (an older memory was invalidated by it), <c>superseded</c> (this older memory was invalidated).</param>
/// <param name="Text">The memory's text.</param>
public sealed record MemoryEvent(Guid Id, string Event, string Text);

/// <summary>What a consolidation run did in one scope.</summary>
/// <param name="PatternsCreated">New semantic patterns.</param>
/// <param name="PatternsUpdated">Existing patterns that gained members.</param>
/// <param name="MembersAssigned">Episodic memories folded into a pattern in this run.</param>
/// <param name="EpisodesSeen">Unconsolidated episodic memories considered.</param>
public sealed record ConsolidationReport(int PatternsCreated, int PatternsUpdated, int MembersAssigned, int EpisodesSeen);
