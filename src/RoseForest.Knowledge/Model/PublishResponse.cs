using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The answer to a publish or update, as the YumeiCHAIN client reads it.</summary>
public sealed record PublishResponse
{
    /// <summary>The package id (<c>knowledge_id</c>).</summary>
    [JsonPropertyName("knowledge_id")]
    public required string KnowledgeId { get; init; }

    /// <summary>The version id (<c>version_id</c>).</summary>
    [JsonPropertyName("version_id")]
    public required string VersionId { get; init; }

    /// <summary>The <c>version_id</c>s of other concurrent versions of the same id (<c>conflicts</c>); null when none.</summary>
    [JsonPropertyName("conflicts")]
    public IReadOnlyList<string>? Conflicts { get; init; }
}
