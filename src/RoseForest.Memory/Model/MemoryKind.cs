namespace RoseForest.Memory;

/// <summary>What a memory holds, as agent-memory systems divide it.</summary>
public enum MemoryKind
{
    /// <summary>Facts and preferences ("the user is vegetarian"): the default; near-duplicates merge.</summary>
    Semantic,

    /// <summary>Raw events and conversation turns: append-only (never merged, never edited in place).</summary>
    Episodic,

    /// <summary>How-to knowledge: steps, rules, habits of work.</summary>
    Procedural,
}

/// <summary>The wire names of <see cref="MemoryKind"/>: <c>semantic</c>, <c>episodic</c>, <c>procedural</c>.</summary>
public static class MemoryKinds
{
    /// <summary>The lowercase name used in payloads, JSON and tool arguments.</summary>
    public static string ToName(this MemoryKind kind) => kind switch
    {
        MemoryKind.Semantic => "semantic",
        MemoryKind.Episodic => "episodic",
        MemoryKind.Procedural => "procedural",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a kind name; throws <see cref="ValidationException"/> naming <paramref name="field"/>.</summary>
    public static MemoryKind Parse(string? name, string field = "kind") => name switch
    {
        "semantic" => MemoryKind.Semantic,
        "episodic" => MemoryKind.Episodic,
        "procedural" => MemoryKind.Procedural,
        _ => throw new ValidationException(field, $"must be one of semantic, episodic, procedural; got '{name}'."),
    };
}
