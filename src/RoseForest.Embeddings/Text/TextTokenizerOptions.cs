namespace RoseForest.Embeddings.Text;

/// <summary>How <see cref="TextTokenizer"/> splits and filters text.</summary>
public sealed record TextTokenizerOptions
{
    /// <summary>Drop the common English function words in <see cref="EnglishStopWords"/>. Off by default.</summary>
    public bool RemoveEnglishStopWords { get; init; }

    /// <summary>Tokens with fewer Unicode scalar values than this are dropped. Default 1 (keep all).</summary>
    public int MinTokenLength { get; init; } = 1;

    /// <summary>
    /// Tokens with more Unicode scalar values than this are dropped, not cut: a 200-character run of
    /// letters is a hash, a key or a URL fragment, and a prefix of it is no better a term. Default 64.
    /// </summary>
    public int MaxTokenLength { get; init; } = 64;

    /// <summary>The defaults: lowercase, every token of 1 to 64 scalar values, stop words kept.</summary>
    public static TextTokenizerOptions Default { get; } = new();

    internal void Validate()
    {
        if (MinTokenLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinTokenLength), MinTokenLength, "must be at least 1");
        }
        if (MaxTokenLength < MinTokenLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokenLength), MaxTokenLength, "must be at least MinTokenLength");
        }
    }
}
