namespace RoseForest.Memory;

/// <summary>The chat client behind <c>infer: true</c> failed or answered something unusable.</summary>
public sealed class MemoryInferenceException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public MemoryInferenceException(string message, Exception? inner = null)
        : base($"Fact extraction failed: {message}", inner ?? new InvalidOperationException(message))
    {
    }
}
