using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>The <c>content</c> of a knowledge package.</summary>
public sealed record KnowledgeContent
{
    /// <summary>The format used when <c>format</c> is absent on input.</summary>
    public const string DefaultFormat = "markdown";

    /// <summary>The knowledge text (<c>text</c>); required, not empty.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>The text's format (<c>format</c>); <c>markdown</c> unless given.</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = DefaultFormat;

    /// <summary>The node or model that produced the text (<c>generated_by</c>); required.</summary>
    [JsonPropertyName("generated_by")]
    public string? GeneratedBy { get; init; }
}
