using System.Buffers;
using System.Globalization;
using System.Text;

namespace RoseForest.Core.Filters.Text;

/// <summary>Whether a text is a stored value or a query (Qdrant's prefix tokenizer splits them differently).</summary>
public enum TextTokenKind
{
    /// <summary>A payload value.</summary>
    Document,

    /// <summary>The text of a <c>match.text</c> or <c>match.text_any</c> condition (a phrase is tokenized as a document).</summary>
    Query,
}

/// <summary>Receives tokens; return false to stop the tokenizer early.</summary>
public interface ITokenSink
{
    /// <summary>Takes one token (a view valid only during the call).</summary>
    bool Accept(ReadOnlySpan<char> token);
}

/// <summary>
/// Splits text into the tokens full-text conditions compare. The default is Qdrant's default
/// text index configuration, which Qdrant (1.19.1 and later) also applies to fields without a
/// text index: the word tokenizer, lowercased, no length limits, stop words or stemming. A text
/// index with another configuration is applied with <see cref="Filter.WithTextTokenizers"/>.
/// </summary>
public abstract class TextTokenizer
{
    /// <summary>Creates a tokenizer.</summary>
    protected TextTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    {
        Lowercase = lowercase;
        MinTokenLength = minTokenLength;
        MaxTokenLength = maxTokenLength;
    }

    /// <summary>The word tokenizer with lowercasing: what full-text conditions use when no index configuration is known.</summary>
    public static TextTokenizer Default { get; } = new WordTokenizer(lowercase: true, null, null);

    /// <summary>Whether tokens are lowercased.</summary>
    public bool Lowercase { get; }

    /// <summary>Tokens with fewer characters are dropped.</summary>
    public int? MinTokenLength { get; }

    /// <summary>Tokens with more characters are dropped.</summary>
    public int? MaxTokenLength { get; }

    /// <summary>
    /// Qdrant's <c>word</c> tokenizer: tokens are the runs of letters and digits (Rust's
    /// <c>char::is_alphanumeric</c>; everything else, <c>_</c> included, separates).
    /// </summary>
    public static TextTokenizer Word(bool lowercase = true, int? minTokenLength = null, int? maxTokenLength = null) =>
        new WordTokenizer(lowercase, minTokenLength, maxTokenLength);

    /// <summary>Qdrant's <c>whitespace</c> tokenizer: tokens are the runs of non-whitespace characters.</summary>
    public static TextTokenizer Whitespace(bool lowercase = true, int? minTokenLength = null, int? maxTokenLength = null) =>
        new WhitespaceTokenizer(lowercase, minTokenLength, maxTokenLength);

    /// <summary>Calls <paramref name="sink"/> with each token of <paramref name="text"/> in order, until it returns false.</summary>
    public abstract void Tokenize<TSink>(ReadOnlySpan<char> text, TextTokenKind kind, ref TSink sink)
        where TSink : struct, ITokenSink;

    /// <summary>The tokens of a text, in order, as strings (for queries, once per condition).</summary>
    public IReadOnlyList<string> Tokens(string text, TextTokenKind kind)
    {
        var sink = new ListSink([]);
        Tokenize(text, kind, ref sink);
        return sink.Tokens;
    }

    /// <summary>
    /// Applies lowercasing and the length limits to a raw token and passes it on (Qdrant's
    /// <c>TokensProcessor::process_token</c> for the options this class has). Returns the sink's answer.
    /// </summary>
    protected bool Emit<TSink>(ReadOnlySpan<char> token, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        if (token.IsEmpty)
        {
            return true;
        }

        if (MinTokenLength is not null || MaxTokenLength is not null)
        {
            var length = CountRunes(token);
            if ((MinTokenLength is { } min && length < min) || (MaxTokenLength is { } max && length > max))
            {
                return true;
            }
        }

        if (!Lowercase)
        {
            return sink.Accept(token);
        }

        char[]? rented = null;
        Span<char> buffer = token.Length <= 128 ? stackalloc char[128] : (rented = ArrayPool<char>.Shared.Rent(token.Length));
        try
        {
            var written = token.ToLowerInvariant(buffer);
            return sink.Accept(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Tokenizes UTF-8 text (decoded into a pooled buffer, so nothing is allocated per value).</summary>
    internal void TokenizeUtf8<TSink>(ReadOnlySpan<byte> utf8, TextTokenKind kind, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        char[]? rented = null;
        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        Span<char> buffer = max <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var chars = Encoding.UTF8.GetChars(utf8, buffer);
            Tokenize(buffer[..chars], kind, ref sink);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int CountRunes(ReadOnlySpan<char> text)
    {
        var n = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            n++;
        }

        return n;
    }

    private struct ListSink(List<string> tokens) : ITokenSink
    {
        public readonly List<string> Tokens => tokens;

        public readonly bool Accept(ReadOnlySpan<char> token)
        {
            tokens.Add(token.ToString());
            return true;
        }
    }

    /// <summary>True for the characters Rust's <c>char::is_alphanumeric</c> accepts, approximated by Unicode categories (see docs/api.md).</summary>
    internal static bool IsWordRune(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.SpacingCombiningMark:
                return true;
            case UnicodeCategory.NonSpacingMark:
                // Vowel signs of Indic and other scripts are Alphabetic in Unicode (Other_Alphabetic);
                // the generic combining diacritics (U+0300..U+036F) are not, except U+0345.
                return rune.Value is < 0x0300 or > 0x036F || rune.Value == 0x0345;
            default:
                return false;
        }
    }
}
