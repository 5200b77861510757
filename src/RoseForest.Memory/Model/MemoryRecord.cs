using System.Text.Json;

namespace RoseForest.Memory;

/// <summary>A memory as read back: its text, whose it is, and its place in time.</summary>
/// <param name="Id">The memory's id (a UUIDv7: ids sort by creation time).</param>
/// <param name="Text">The remembered text (the latest version).</param>
/// <param name="Kind">Semantic, episodic or procedural.</param>
/// <param name="Scope">The scope ids the memory carries.</param>
/// <param name="Metadata">The caller's JSON object, or null.</param>
/// <param name="Version">1 for a new memory; each update adds one.</param>
public sealed record MemoryRecord(Guid Id, string Text, MemoryKind Kind, MemoryScope Scope, JsonElement? Metadata, int Version)
{
    /// <summary>When the memory was stored (system time).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its text or metadata last changed (system time).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Since when the fact holds in the world (default: when it was stored).</summary>
    public DateTimeOffset ValidFrom { get; init; }

    /// <summary>Until when the fact held in the world (set when superseded), or null while it holds.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>When the system stopped believing it (it was superseded), or null while current.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>After this time the memory is hidden from search and list (TTL); it is not deleted.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The memories this one replaced.</summary>
    public IReadOnlyList<Guid> Supersedes { get; init; } = [];

    /// <summary>The memory that replaced this one, or null.</summary>
    public Guid? SupersededBy { get; init; }

    /// <summary>How often the memory was returned by search or get.</summary>
    public long AccessCount { get; init; }

    /// <summary>When it was last returned by search or get.</summary>
    public DateTimeOffset? LastAccessedAt { get; init; }

    /// <summary>How many times the same memory was added (near-duplicates merge into it).</summary>
    public int Mentions { get; init; } = 1;

    /// <summary>For a consolidated pattern: its members and confidence; otherwise null.</summary>
    public MemoryPattern? Pattern { get; init; }

    /// <summary>For an episodic memory folded into a pattern: the pattern's id.</summary>
    public Guid? ConsolidatedInto { get; init; }
}

/// <summary>What a consolidated pattern summarises.</summary>
/// <param name="Members">The episodic memories in the cluster.</param>
/// <param name="Confidence">The members' share of the scope's consolidated episodic memories (0 to 1).</param>
public sealed record MemoryPattern(IReadOnlyList<Guid> Members, double Confidence);

/// <summary>One entry of a memory's history.</summary>
/// <param name="Version">The memory's version after this event.</param>
/// <param name="Event"><c>add</c>, <c>merge</c>, <c>update</c>, <c>supersede</c> (this memory replaced others), <c>superseded</c> (it was replaced), <c>consolidate</c>.</param>
/// <param name="Text">The text after the event (for <c>merge</c>: the text that was merged in).</param>
/// <param name="Metadata">The metadata after the event.</param>
/// <param name="At">When (system time).</param>
/// <param name="By">Who: the actor the caller named, or the transport (<c>rest</c>, <c>mcp</c>, <c>api</c>).</param>
public sealed record MemoryVersion(int Version, string Event, string Text, JsonElement? Metadata, DateTimeOffset At, string? By)
{
    /// <summary>The other memory involved (the one superseded, or the one superseding), if any.</summary>
    public Guid? Related { get; init; }
}
