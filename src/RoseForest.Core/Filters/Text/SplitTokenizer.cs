using System.Text;

namespace RoseForest.Core.Filters.Text;

/// <summary>A tokenizer whose tokens are the maximal runs of characters a predicate accepts.</summary>
internal abstract class SplitTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    : TextTokenizer(lowercase, minTokenLength, maxTokenLength)
{
    protected abstract bool IsTokenRune(Rune rune);

    public override void Tokenize<TSink>(ReadOnlySpan<char> text, TextTokenKind kind, ref TSink sink)
    {
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            // An unpaired surrogate decodes as U+FFFD with length 1 and is never part of a token.
            var inToken = Rune.DecodeFromUtf16(text[i..], out var rune, out var used) == System.Buffers.OperationStatus.Done && IsTokenRune(rune);
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                if (!Emit(text[start..i], ref sink))
                {
                    return;
                }

                start = -1;
            }

            i += Math.Max(used, 1);
        }

        if (start >= 0)
        {
            Emit(text[start..], ref sink);
        }
    }
}

/// <summary>Qdrant's word tokenizer: maximal runs of alphanumeric characters.</summary>
internal sealed class WordTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    : SplitTokenizer(lowercase, minTokenLength, maxTokenLength)
{
    protected override bool IsTokenRune(Rune rune) => IsWordRune(rune);
}

/// <summary>Qdrant's whitespace tokenizer: maximal runs of non-whitespace characters (Rust's <c>split_whitespace</c>).</summary>
internal sealed class WhitespaceTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    : SplitTokenizer(lowercase, minTokenLength, maxTokenLength)
{
    protected override bool IsTokenRune(Rune rune) => !Rune.IsWhiteSpace(rune);
}
