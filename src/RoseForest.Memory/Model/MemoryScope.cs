using RoseForest.Core.Filters;

namespace RoseForest.Memory;

/// <summary>
/// Whose memory: mem0's four scope ids. At least one is required on every call that reads or
/// writes memories; several narrow the scope (a memory belongs to a scope when it carries every id
/// the scope names). Scopes are enforced, not advisory: see <see cref="Within"/>.
/// </summary>
/// <param name="UserId">The user the memory is about or for.</param>
/// <param name="AgentId">The agent that owns it.</param>
/// <param name="RunId">The session (run) it came from.</param>
/// <param name="AppId">The application it belongs to.</param>
public sealed record MemoryScope(string? UserId = null, string? AgentId = null, string? RunId = null, string? AppId = null)
{
    /// <summary>The longest scope id accepted.</summary>
    public const int MaxIdLength = 256;

    /// <summary>The payload keys of the four ids.</summary>
    internal static readonly string[] Keys = ["user_id", "agent_id", "run_id", "app_id"];

    /// <summary>True when no id is given.</summary>
    public bool IsEmpty => UserId is null && AgentId is null && RunId is null && AppId is null;

    /// <summary>The ids in <see cref="Keys"/> order (null where absent).</summary>
    internal string?[] Values => [UserId, AgentId, RunId, AppId];

    /// <summary>A scope from four possibly-blank strings (blank counts as absent).</summary>
    public static MemoryScope Of(string? userId, string? agentId, string? runId, string? appId) =>
        new(Blank(userId), Blank(agentId), Blank(runId), Blank(appId));

    /// <summary>Checks the ids (length, no control characters) and that at least one is given.</summary>
    public MemoryScope Validate()
    {
        var values = Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                if (v.Length is 0 or > MaxIdLength || v.Any(char.IsControl))
                {
                    throw new ValidationException(Keys[i], $"must be 1 to {MaxIdLength} characters without control characters.");
                }
            }
        }

        if (IsEmpty)
        {
            throw new ValidationException("scope", "at least one of user_id, agent_id, run_id or app_id is required.");
        }

        return this;
    }

    /// <summary>
    /// This scope as seen by a caller confined to <paramref name="boundary"/> (an MCP server started
    /// for one agent, a scoped key): the boundary's ids are filled in, and an id that contradicts
    /// the boundary is refused. With no boundary, the scope itself.
    /// </summary>
    public MemoryScope Within(MemoryScope? boundary)
    {
        if (boundary is null)
        {
            return this;
        }

        var mine = Values;
        var theirs = boundary.Values;
        var merged = new string?[4];
        for (var i = 0; i < 4; i++)
        {
            if (theirs[i] is { } fixedId && mine[i] is { } asked && !string.Equals(fixedId, asked, StringComparison.Ordinal))
            {
                throw new ValidationException(Keys[i], $"this caller is confined to {Keys[i]} '{fixedId}' and cannot use '{asked}'.");
            }

            merged[i] = theirs[i] ?? mine[i];
        }

        return new MemoryScope(merged[0], merged[1], merged[2], merged[3]);
    }

    /// <summary>True when a memory with these ids lies inside this scope (it carries every id this scope names).</summary>
    public bool Contains(MemoryScope memory)
    {
        var mine = Values;
        var theirs = memory.Values;
        for (var i = 0; i < 4; i++)
        {
            if (mine[i] is { } id && !string.Equals(id, theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Conditions matching memories inside this scope.</summary>
    internal IEnumerable<Condition> Conditions()
    {
        var values = Values;
        for (var i = 0; i < 4; i++)
        {
            if (values[i] is { } id)
            {
                yield return Condition.Match(Keys[i], id);
            }
        }
    }

    /// <summary>Conditions matching memories with exactly these ids (absent ids absent): the scope near-duplicates merge within.</summary>
    internal IEnumerable<Condition> ExactConditions()
    {
        var values = Values;
        for (var i = 0; i < 4; i++)
        {
            yield return values[i] is { } id ? Condition.Match(Keys[i], id) : Condition.IsEmpty(Keys[i]);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Keys.Zip(Values).Where(p => p.Second is not null).Select(p => $"{p.First}={p.Second}"));

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
