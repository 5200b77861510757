using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// A <c>resolve_conflict</c> request as the YumeiCHAIN client sends it, plus an optional
/// <c>version_id</c> naming the version accepted or rejected (the client's schema has none).
/// </summary>
public sealed record ConflictResolution
{
    /// <summary>The node resolving (<c>resolving_node</c>).</summary>
    [JsonPropertyName("resolving_node")]
    public string? ResolvingNode { get; init; }

    /// <summary><c>accept</c>, <c>reject</c> or <c>merge</c> (<c>resolution_type</c>).</summary>
    [JsonPropertyName("resolution_type")]
    public string? ResolutionType { get; init; }

    /// <summary>Why (<c>reasoning</c>).</summary>
    [JsonPropertyName("reasoning")]
    public string? Reasoning { get; init; }

    /// <summary>For <c>merge</c>: the merged content, a string (the text) or a <c>content</c> object.</summary>
    [JsonPropertyName("merged_content")]
    public JsonElement? MergedContent { get; init; }

    /// <summary>For <c>accept</c> (default: the version readers see) and <c>reject</c> (required).</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }
}
