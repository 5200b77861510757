using System.Text.Json;
using RoseForest.Core.Filters.Text;

namespace RoseForest.Core.Filters;

/// <summary>
/// A full-text match: the query and each string value are split into tokens by
/// <see cref="Tokenizer"/> (by default Qdrant's word tokenizer, lowercased) and compared token by
/// token. A query without tokens matches nothing. Values that are not strings never match; an
/// array's strings are tested one by one (a phrase does not run across two of them).
/// </summary>
public abstract class TextMatch : Match
{
    private protected TextMatch(string text, TextTokenizer tokenizer, TextTokenKind queryKind, bool distinct)
    {
        Text = text;
        Tokenizer = tokenizer;
        var tokens = tokenizer.Tokens(text, queryKind);
        QueryTokens = distinct ? [.. tokens.Distinct(StringComparer.Ordinal)] : [.. tokens];
    }

    /// <summary>The query text as given.</summary>
    public string Text { get; }

    /// <summary>The tokenizer used for the query and the values.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>The query's tokens (distinct for text and text_any; in order for a phrase).</summary>
    private protected string[] QueryTokens { get; }

    /// <summary>The same match evaluated with another tokenizer.</summary>
    public abstract TextMatch WithTokenizer(TextTokenizer tokenizer);

    internal sealed override bool Test(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || QueryTokens.Length == 0)
        {
            return false;
        }

        return TestString(value);
    }

    /// <summary>Tests a JSON string value.</summary>
    private protected abstract bool TestString(JsonElement value);

    /// <summary>Feeds the value's tokens to the sink: straight from the UTF-8 when the string has no escapes.</summary>
    private protected void Scan<TSink>(JsonElement value, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        if (JsonText.TryGetUtf8(value, out var utf8))
        {
            Tokenizer.TokenizeUtf8(utf8, TextTokenKind.Document, ref sink);
        }
        else
        {
            Tokenizer.Tokenize(value.GetString(), TextTokenKind.Document, ref sink);
        }
    }
}

/// <summary>Qdrant's <c>match.text</c>: every token of the query is a token of the value, in any order.</summary>
public sealed class MatchText(string text, TextTokenizer tokenizer) : TextMatch(text, tokenizer, TextTokenKind.Query, distinct: true)
{
    /// <summary>A text match with the default tokenizer.</summary>
    public MatchText(string text)
        : this(text, TextTokenizer.Default)
    {
    }

    /// <inheritdoc />
    public override TextMatch WithTokenizer(TextTokenizer tokenizer) => new MatchText(Text, tokenizer);

    private protected override bool TestString(JsonElement value)
    {
        var sink = new AllTokensSink(QueryTokens);
        Scan(value, ref sink);
        return sink.Found;
    }
}

/// <summary>Qdrant's <c>match.text_any</c>: some token of the query is a token of the value.</summary>
public sealed class MatchTextAny(string text, TextTokenizer tokenizer) : TextMatch(text, tokenizer, TextTokenKind.Query, distinct: true)
{
    /// <summary>A text_any match with the default tokenizer.</summary>
    public MatchTextAny(string text)
        : this(text, TextTokenizer.Default)
    {
    }

    /// <inheritdoc />
    public override TextMatch WithTokenizer(TextTokenizer tokenizer) => new MatchTextAny(Text, tokenizer);

    private protected override bool TestString(JsonElement value)
    {
        var sink = new AnyTokenSink(QueryTokens);
        Scan(value, ref sink);
        return sink.Found;
    }
}

/// <summary>Qdrant's <c>match.phrase</c>: the phrase's tokens appear in the value adjacent and in order.</summary>
public sealed class MatchPhrase(string phrase, TextTokenizer tokenizer) : TextMatch(phrase, tokenizer, TextTokenKind.Document, distinct: false)
{
    /// <summary>A phrase match with the default tokenizer.</summary>
    public MatchPhrase(string phrase)
        : this(phrase, TextTokenizer.Default)
    {
    }

    /// <inheritdoc />
    public override TextMatch WithTokenizer(TextTokenizer tokenizer) => new MatchPhrase(Text, tokenizer);

    private protected override bool TestString(JsonElement value)
    {
        var sink = new PhraseSink(QueryTokens);
        Scan(value, ref sink);
        return sink.Found;
    }
}
