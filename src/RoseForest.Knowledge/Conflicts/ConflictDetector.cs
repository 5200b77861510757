namespace RoseForest.Knowledge.Conflicts;

/// <summary>
/// Finds conflicts: a knowledge id is in conflict while more than one version of it survives.
/// Surviving versions are concurrent by construction (a write removes the versions it observed,
/// except another author's, see <see cref="KnowledgeBook.Publish"/>), so what remains are versions no
/// single write has seen together and settled.
/// </summary>
public static class ConflictDetector
{
    /// <summary>The versions readers see first: the largest stamp wins (last-writer-wins).</summary>
    public static KnowledgeVersion? Winner(IReadOnlyList<KnowledgeVersion> versions)
        => versions.Count == 0 ? null : versions.MaxBy(v => v.Stamp);

    /// <summary>True when more than one distinct version survives.</summary>
    public static bool IsInConflict(IReadOnlyList<KnowledgeVersion> versions)
        => versions.Select(v => v.VersionId).Distinct(StringComparer.Ordinal).Skip(1).Any();

    /// <summary>
    /// What a publish answer lists in <c>conflicts</c>: the version ids of the surviving versions
    /// other than <paramref name="versionId"/>, ordinal order; null when there are none.
    /// </summary>
    public static IReadOnlyList<string>? ConflictsWith(IReadOnlyList<KnowledgeVersion> versions, string versionId)
    {
        var others = versions.Select(v => v.VersionId)
            .Where(id => !string.Equals(id, versionId, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return others.Count == 0 ? null : others;
    }
}
