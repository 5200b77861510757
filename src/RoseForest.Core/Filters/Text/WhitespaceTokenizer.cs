using System.Text;

namespace RoseForest.Core.Filters.Text;

/// <summary>Qdrant's whitespace tokenizer: maximal runs of non-whitespace characters (Rust's <c>split_whitespace</c>).</summary>
internal sealed class WhitespaceTokenizer(bool lowercase, int? minTokenLength, int? maxTokenLength)
    : TextTokenizer(lowercase, minTokenLength, maxTokenLength)
{
    public override void Tokenize<TSink>(ReadOnlySpan<char> text, TextTokenKind kind, ref TSink sink)
    {
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var used);
            var space = Rune.IsWhiteSpace(rune);
            if (!space && start < 0)
            {
                start = i;
            }
            else if (space && start >= 0)
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
