using System.Text.Json;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Conflicts;

/// <summary>
/// Turns a <c>resolve_conflict</c> request into a <see cref="ResolutionPlan"/>, a pure function of
/// the surviving versions:
/// <list type="bullet">
/// <item><c>accept</c>: the named version (default: the winner readers see) stays; every other is removed.</item>
/// <item><c>reject</c>: the named version is removed; the others stay (one left: no conflict).</item>
/// <item><c>merge</c>: a new version, the winner with its content replaced by <c>merged_content</c>, supersedes all.</item>
/// </list>
/// Only the versions the resolver saw are affected: a version that arrives concurrently with the
/// resolution survives it and is a new conflict, as with any causal write.
/// </summary>
public static class ConflictResolver
{
    /// <summary>Plans a resolution; throws <see cref="KnowledgeValidationException"/> naming the bad field.</summary>
    public static ResolutionPlan Plan(IReadOnlyList<KnowledgeVersion> versions, ConflictResolution resolution)
    {
        if (string.IsNullOrWhiteSpace(resolution.ResolvingNode))
        {
            throw new KnowledgeValidationException("resolving_node", "is required and must not be blank");
        }

        if (!ConflictDetector.IsInConflict(versions))
        {
            throw new KnowledgeValidationException("knowledge_id", "has no conflicting versions to resolve");
        }

        var ids = versions.Select(v => v.VersionId).ToHashSet(StringComparer.Ordinal);
        switch (resolution.ResolutionType)
        {
            case "accept":
                var accepted = resolution.VersionId ?? ConflictDetector.Winner(versions)!.VersionId;
                RequireKnown(ids, accepted);
                return new ResolutionPlan(ids.Where(id => id != accepted).ToHashSet(StringComparer.Ordinal), null);
            case "reject":
                var rejected = resolution.VersionId ?? throw new KnowledgeValidationException("version_id", "is required to reject a version");
                RequireKnown(ids, rejected);
                return new ResolutionPlan(new HashSet<string>([rejected], StringComparer.Ordinal), null);
            case "merge":
                return new ResolutionPlan(ids, Merged(ConflictDetector.Winner(versions)!, resolution));
            default:
                throw new KnowledgeValidationException("resolution_type", "must be accept, reject or merge");
        }
    }

    private static void RequireKnown(HashSet<string> ids, string versionId)
    {
        if (!ids.Contains(versionId))
        {
            throw new KnowledgeValidationException("version_id", $"{versionId} is not a surviving version");
        }
    }

    private static KnowledgePackage Merged(KnowledgeVersion winner, ConflictResolution resolution)
    {
        var content = resolution.MergedContent switch
        {
            { ValueKind: JsonValueKind.String } text => new KnowledgeContent { Text = text.GetString(), GeneratedBy = resolution.ResolvingNode },
            { ValueKind: JsonValueKind.Object } obj => ContentFrom(obj, resolution.ResolvingNode!),
            _ => throw new KnowledgeValidationException("merged_content", "is required for merge: a string or a content object"),
        };

        var merged = winner.Package with { VersionId = null, Content = content, Trust = null };
        return KnowledgeIds.EnsureIds(KnowledgeValidator.Validate(merged));
    }

    private static KnowledgeContent ContentFrom(JsonElement obj, string resolvingNode)
    {
        KnowledgeContent? content;
        try
        {
            content = obj.Deserialize<KnowledgeContent>(KnowledgeJson.Options);
        }
        catch (JsonException e)
        {
            throw new KnowledgeValidationException("merged_content", e.Message, e);
        }

        return content! with { GeneratedBy = content!.GeneratedBy ?? resolvingNode };
    }
}
