using System.Globalization;
using System.Text;

namespace RoseForest.Embeddings.Text;

/// <summary>
/// Splits text into lowercase word tokens for BM25 and the hashing embedder: a token is a maximal
/// run of Unicode letters and decimal digits (combining marks inside a word stay with it), so
/// punctuation, symbols and whitespace separate tokens. "Don't stop-loss at 3.5%" gives
/// <c>don, t, stop, loss, at, 3, 5</c>.
/// </summary>
/// <remarks>
/// Lowercasing is culture-invariant per Unicode scalar value. No Unicode normalisation is applied
/// (the library runs with invariant globalization), so "é" written precomposed and as "e" plus a
/// combining accent are different tokens. No stemming. Thread-safe: the tokenizer holds no mutable
/// state.
/// </remarks>
public sealed class TextTokenizer
{
    private readonly TextTokenizerOptions _options;

    /// <summary>Creates a tokenizer with the given options (or the defaults).</summary>
    public TextTokenizer(TextTokenizerOptions? options = null)
    {
        _options = options ?? TextTokenizerOptions.Default;
        _options.Validate();
    }

    /// <summary>The options this tokenizer applies.</summary>
    public TextTokenizerOptions Options => _options;

    /// <summary>A tokenizer with the default options.</summary>
    public static TextTokenizer Default { get; } = new();

    /// <summary>The tokens of <paramref name="text"/>, in order, repeats kept.</summary>
    public List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>.</summary>
    public void Tokenize(ReadOnlySpan<char> text, List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var current = new StringBuilder();
        Span<char> utf16 = stackalloc char[2];
        int scalars = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune, inWord: scalars > 0))
            {
                int written = Rune.ToLowerInvariant(rune).EncodeToUtf16(utf16);
                current.Append(utf16[..written]);
                scalars++;
            }
            else if (scalars > 0)
            {
                Emit(current, scalars, tokens);
                current.Clear();
                scalars = 0;
            }
        }
        if (scalars > 0)
        {
            Emit(current, scalars, tokens);
        }
    }

    private void Emit(StringBuilder current, int scalars, List<string> tokens)
    {
        if (scalars < _options.MinTokenLength || scalars > _options.MaxTokenLength)
        {
            return;
        }
        string token = current.ToString();
        if (_options.RemoveEnglishStopWords && EnglishStopWords.Contains(token))
        {
            return;
        }
        tokens.Add(token);
    }

    private static bool IsWordRune(Rune rune, bool inWord)
    {
        if (Rune.IsLetterOrDigit(rune))
        {
            return true;
        }
        if (!inWord)
        {
            return false;
        }
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }
}
