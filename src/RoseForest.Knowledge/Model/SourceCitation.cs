using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>One entry of <c>metadata.source_citations</c>.</summary>
public sealed record SourceCitation
{
    /// <summary>The source's name (<c>source</c>); required.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>A link to it (<c>link</c>); optional.</summary>
    [JsonPropertyName("link")]
    public string? Link { get; init; }

    /// <summary>The formal citation (<c>citation_text</c>); optional.</summary>
    [JsonPropertyName("citation_text")]
    public string? CitationText { get; init; }
}
