namespace RoseForest.Knowledge.Model;

/// <summary>
/// Checks a package against the YumeiCHAIN schema's rules: required fields present and not blank,
/// every confidence a finite number in [0, 1], ids (when given) of the documented shape. Throws a
/// <see cref="KnowledgeValidationException"/> naming the first offending field.
/// </summary>
public static class KnowledgeValidator
{
    /// <summary>The longest id accepted in <c>knowledge_id</c> or <c>version_id</c>.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Validates a package; returns it unchanged when it is valid.</summary>
    public static KnowledgePackage Validate(KnowledgePackage package)
    {
        CheckId(package.KnowledgeId, "knowledge_id");
        CheckId(package.VersionId, "version_id");

        var content = Required(package.Content, "content");
        RequiredText(content.Text, "content.text");
        RequiredText(content.Format, "content.format");
        RequiredText(content.GeneratedBy, "content.generated_by");

        var confidence = Required(package.Confidence, "confidence");
        CheckUnit(confidence.Overall, "confidence.overall");
        if (confidence.Statements is { } statements)
        {
            foreach (var (key, value) in statements)
            {
                CheckUnit(value, $"confidence.statements[{key}]");
            }
        }

        var trace = Required(package.ReasoningTrace, "reasoning_trace");
        RequiredText(trace.Method, "reasoning_trace.method");
        var steps = Required(trace.Steps, "reasoning_trace.steps");
        for (var i = 0; i < steps.Count; i++)
        {
            Required(steps[i], $"reasoning_trace.steps[{i}]");
        }

        if (trace.Alternatives is { } alternatives)
        {
            for (var i = 0; i < alternatives.Count; i++)
            {
                var alternative = Required(alternatives[i], $"reasoning_trace.alternatives[{i}]");
                RequiredText(alternative.Text, $"reasoning_trace.alternatives[{i}].text");
                CheckUnit(alternative.Confidence, $"reasoning_trace.alternatives[{i}].confidence");
                Required(alternative.Reasoning, $"reasoning_trace.alternatives[{i}].reasoning");
            }
        }

        ValidateMetadata(Required(package.Metadata, "metadata"));
        if (package.Trust?.Score is { } score)
        {
            CheckUnit(score, "trust.score");
        }

        if (package.Trust?.Signature is { } signature && !Hex.IsLowercaseHex(signature, 128))
        {
            throw new KnowledgeValidationException("trust.signature", "must be 128 lowercase hex digits (an Ed25519 signature)");
        }

        return package;
    }

    private static void ValidateMetadata(KnowledgeMetadata metadata)
    {
        RequiredText(metadata.Domain, "metadata.domain");
        if (metadata.HasContradictoryType)
        {
            throw new KnowledgeValidationException("metadata.type_", "type_ and type are both given and differ");
        }

        RequiredText(metadata.Type, "metadata.type_");
        CheckStrings(metadata.Subdomains, "metadata.subdomains");
        CheckStrings(metadata.Tags, "metadata.tags");
        CheckStrings(metadata.RelatedKnowledge, "metadata.related_knowledge");
        if (metadata.SourceCitations is { } citations)
        {
            for (var i = 0; i < citations.Count; i++)
            {
                var citation = Required(citations[i], $"metadata.source_citations[{i}]");
                RequiredText(citation.Source, $"metadata.source_citations[{i}].source");
            }
        }
    }

    private static void CheckStrings(IReadOnlyList<string>? values, string field)
    {
        if (values is null)
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            RequiredText(values[i], $"{field}[{i}]");
        }
    }

    private static void CheckId(string? id, string field)
    {
        if (id is null)
        {
            return;
        }

        if (id.Length == 0 || id.Length > MaxIdLength)
        {
            throw new KnowledgeValidationException(field, $"must be 1 to {MaxIdLength} characters");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new KnowledgeValidationException(field, "may hold only ASCII letters, digits, '-', '_', '.' and ':'");
            }
        }
    }

    private static T Required<T>(T? value, string field)
        where T : class
        => value ?? throw new KnowledgeValidationException(field, "is required");

    private static void RequiredText(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KnowledgeValidationException(field, "is required and must not be blank");
        }
    }

    internal static void CheckUnit(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new KnowledgeValidationException(field, "must be a number in [0, 1]");
        }
    }
}
