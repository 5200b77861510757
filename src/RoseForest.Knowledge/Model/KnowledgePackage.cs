using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// A YumeiCHAIN knowledge package, with the JSON field names the YumeiCHAIN client sends
/// (<c>knowledge_id</c>, <c>version_id</c>, <c>content</c>, <c>confidence</c>, <c>reasoning_trace</c>,
/// <c>metadata</c>, <c>trust</c>). Read and write it with <see cref="KnowledgeJson"/>; check it with
/// <see cref="KnowledgeValidator"/>; fill in missing ids with <see cref="KnowledgeIds.EnsureIds"/>.
/// </summary>
public sealed record KnowledgePackage
{
    /// <summary>The package id; when absent it is derived from the content (see <see cref="KnowledgeIds"/>).</summary>
    [JsonPropertyName("knowledge_id")]
    public string? KnowledgeId { get; init; }

    /// <summary>The version id; when absent it is derived from the canonical form (see <see cref="KnowledgeIds"/>).</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }

    /// <summary>The knowledge itself.</summary>
    [JsonPropertyName("content")]
    public KnowledgeContent? Content { get; init; }

    /// <summary>How sure the author is.</summary>
    [JsonPropertyName("confidence")]
    public KnowledgeConfidence? Confidence { get; init; }

    /// <summary>How the author reached the content.</summary>
    [JsonPropertyName("reasoning_trace")]
    public ReasoningTrace? ReasoningTrace { get; init; }

    /// <summary>Domain, type, tags, citations and timestamps.</summary>
    [JsonPropertyName("metadata")]
    public KnowledgeMetadata? Metadata { get; init; }

    /// <summary>Signature and network-computed trust; not covered by the signature.</summary>
    [JsonPropertyName("trust")]
    public KnowledgeTrust? Trust { get; init; }
}
