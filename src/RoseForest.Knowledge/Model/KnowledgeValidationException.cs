namespace RoseForest.Knowledge.Model;

/// <summary>A knowledge package (or vote, or resolution) that breaks a rule; <see cref="Field"/> names the field.</summary>
public sealed class KnowledgeValidationException : Exception
{
    /// <summary>Creates the exception for a field, given as a JSON path such as <c>content.text</c>.</summary>
    public KnowledgeValidationException(string field, string reason, Exception? inner = null)
        : base($"{field}: {reason}", inner)
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The offending field as a dotted JSON path (<c>metadata.type_</c>, <c>confidence.statements[s1]</c>).</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
