using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters.Text;

/// <summary>Which tokenizer full-text conditions on a key use (see <see cref="Filter.WithTextTokenizers"/>).</summary>
internal sealed class TokenizerBinding(Func<PayloadPath, TextTokenizer?> tokenizerFor)
{
    public TextTokenizer For(PayloadPath key) => tokenizerFor(key) ?? TextTokenizer.Default;
}
