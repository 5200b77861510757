using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

/// <summary>Packages the tests share.</summary>
internal static class Samples
{
    public static KnowledgePackage Package(string text = "Test knowledge content", string author = "test-node-id", string domain = "test-domain")
        => new()
        {
            Content = new KnowledgeContent { Text = text, GeneratedBy = author },
            Confidence = new KnowledgeConfidence { Overall = 0.95 },
            ReasoningTrace = new ReasoningTrace { Method = "test-reasoning", Steps = ["Step 1", "Step 2"] },
            Metadata = new KnowledgeMetadata { Domain = domain, Type = "test-type" },
        };

    /// <summary>A package with every optional field set, for round trips and the golden vector.</summary>
    public static KnowledgePackage Full() => Package() with
    {
        KnowledgeId = "kb-0001",
        Confidence = new KnowledgeConfidence
        {
            Overall = 0.8,
            Statements = new Dictionary<string, double> { ["s2"] = 0.5, ["s1"] = 0.25 },
        },
        ReasoningTrace = new ReasoningTrace
        {
            Method = "chain-of-thought",
            Steps = ["observe", "infer"],
            Alternatives = [new ReasoningAlternative { Text = "other", Confidence = 0.1, Reasoning = "weaker evidence" }],
        },
        Metadata = new KnowledgeMetadata
        {
            Domain = "physics",
            Subdomains = ["optics"],
            Type = "concept",
            Tags = ["light", "waves"],
            SourceCitations = [new SourceCitation { Source = "Hecht", Link = "https://example.org/optics" }],
            RelatedKnowledge = ["kb-0000"],
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero),
        },
    };
}
