using System.Buffers;

namespace RoseForest.Core.Filters.Text;

/// <summary>
/// Qdrant's <c>prefix</c> tokenizer: words are split as the word tokenizer splits them; a stored
/// value yields every prefix of each word from <see cref="TextTokenizer.MinTokenLength"/> (1 when
/// unset) to <see cref="TextTokenizer.MaxTokenLength"/> characters (the whole word once it is
/// shorter), and a query yields each word cut to the longest prefix, so <c>"hel"</c> finds
/// <c>"hello"</c>. Words shorter than the minimum are dropped on both sides.
/// </summary>
internal sealed class PrefixTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    : TextTokenizer(lowercase, minTokenLength, maxTokenLength)
{
    private static readonly WordTokenizer Words = new(lowercase: false, null, null);

    public override void Tokenize<TSink>(ReadOnlySpan<char> text, TextTokenKind kind, ref TSink sink)
    {
        var words = new WordSink<TSink>(this, kind, sink);
        Words.Tokenize(text, kind, ref words);
        sink = words.Inner;
    }

    /// <summary>Emits the tokens of one word; false when the sink asked to stop.</summary>
    private bool EmitWord<TSink>(ReadOnlySpan<char> word, TextTokenKind kind, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        char[]? rented = null;
        Span<char> buffer = word.Length <= 128 ? stackalloc char[128] : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            var length = Lowercase ? word.ToLowerInvariant(buffer) : Copy(word, buffer);
            var chars = buffer[..length];
            var runes = 0;
            foreach (var _ in chars.EnumerateRunes())
            {
                runes++;
            }

            if (runes < (MinTokenLength ?? 0))
            {
                return true;
            }

            if (kind == TextTokenKind.Query)
            {
                return sink.Accept(MaxTokenLength is { } cap && runes > cap ? chars[..PrefixEnd(chars, cap)] : chars);
            }

            for (var n = Math.Max(MinTokenLength ?? 1, 1); ; n++)
            {
                if (n >= runes)
                {
                    return sink.Accept(chars);
                }

                if (!sink.Accept(chars[..PrefixEnd(chars, n)]))
                {
                    return false;
                }

                if (MaxTokenLength is { } max && n >= max)
                {
                    return true;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int Copy(ReadOnlySpan<char> word, Span<char> buffer)
    {
        word.CopyTo(buffer);
        return word.Length;
    }

    /// <summary>The char index where the first <paramref name="runes"/> runes end.</summary>
    private static int PrefixEnd(ReadOnlySpan<char> chars, int runes)
    {
        var end = 0;
        foreach (var rune in chars.EnumerateRunes())
        {
            if (runes-- == 0)
            {
                break;
            }

            end += rune.Utf16SequenceLength;
        }

        return end;
    }

    /// <summary>Receives whole words from the word tokenizer and passes their prefixes on.</summary>
    private struct WordSink<TSink>(PrefixTokenizer owner, TextTokenKind kind, TSink inner) : ITokenSink
        where TSink : struct, ITokenSink
    {
        public TSink Inner = inner;

        public bool Accept(ReadOnlySpan<char> token) => owner.EmitWord(token, kind, ref Inner);
    }
}
