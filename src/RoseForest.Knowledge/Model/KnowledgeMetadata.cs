using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// The <c>metadata</c> of a knowledge package. The type is written as <c>type_</c>, the name the
/// YumeiCHAIN client sends (serde keeps Rust's field name); <c>type</c> is accepted on input too.
/// </summary>
public sealed record KnowledgeMetadata
{
    private readonly string? _type;
    private readonly string? _typeAlias;

    /// <summary>The knowledge domain (<c>domain</c>); required.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    /// <summary>Narrower domains (<c>subdomains</c>); optional.</summary>
    [JsonPropertyName("subdomains")]
    public IReadOnlyList<string>? Subdomains { get; init; }

    /// <summary>The kind of knowledge (<c>type_</c>, or <c>type</c> on input); required.</summary>
    [JsonPropertyName("type_")]
    public string? Type
    {
        get => _type ?? _typeAlias;
        init => _type = value;
    }

    /// <summary>The <c>type</c> spelling accepted on input; never written.</summary>
    [JsonPropertyName("type")]
    [JsonInclude]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal string? TypeAlias
    {
        get => null;
        init => _typeAlias = value;
    }

    /// <summary>True when both <c>type_</c> and <c>type</c> were given with different values.</summary>
    internal bool HasContradictoryType => _type is not null && _typeAlias is not null && !string.Equals(_type, _typeAlias, StringComparison.Ordinal);

    /// <summary>Tags (<c>tags</c>); optional.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Cited sources (<c>source_citations</c>); optional.</summary>
    [JsonPropertyName("source_citations")]
    public IReadOnlyList<SourceCitation>? SourceCitations { get; init; }

    /// <summary>Ids of related packages (<c>related_knowledge</c>); optional.</summary>
    [JsonPropertyName("related_knowledge")]
    public IReadOnlyList<string>? RelatedKnowledge { get; init; }

    /// <summary>Creation time, ISO 8601 (<c>created_at</c>); optional.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Last update time, ISO 8601 (<c>updated_at</c>); optional.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; init; }
}
