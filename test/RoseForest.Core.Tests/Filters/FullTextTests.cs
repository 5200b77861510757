using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;
using static RoseForest.Core.Tests.Filters.FilterAssert;

namespace RoseForest.Core.Tests.Filters;

/// <summary>
/// Full-text matching. The tokenizer cases are Qdrant's (lib/segment/src/index/field_index/
/// full_text_index/tokenizers/mod.rs: test_word_tokenizer, test_whitespace_tokenizer); the
/// matching rules are those of Qdrant 1.19.1+ for fields without a text index (qdrant#10341,
/// qdrant#10526: the default word tokenizer, lowercased, whole tokens) and of its text index
/// (inverted_index/mod.rs: an empty query matches nothing; has_phrase: consecutive tokens).
/// </summary>
public class FullTextTests
{
    [Fact]
    public void The_word_tokenizer_splits_on_non_alphanumerics_and_lowercases()
    {
        Assert.Equal(["hello", "world", "Привет", "мир"], TextTokenizer.Word(lowercase: false).Tokens("hello, world! Привет, мир!", TextTokenKind.Document));
        Assert.Equal(["hello", "world", "привет", "мир"], TextTokenizer.Default.Tokens("hello, world! Привет, мир!", TextTokenKind.Document));
        Assert.Equal(["snake", "case", "x2"], TextTokenizer.Default.Tokens("snake_case x2", TextTokenKind.Document)); // '_' separates
        Assert.Equal(["नमस्ते"], TextTokenizer.Default.Tokens("नमस्ते!", TextTokenKind.Document)); // vowel signs stay in the word
        Assert.Equal(["hello", "world"], TextTokenizer.Whitespace().Tokens("hello world", TextTokenKind.Document));
        Assert.Equal(["a,b", "c"], TextTokenizer.Whitespace().Tokens("  a,b \t c ", TextTokenKind.Document));
        Assert.Equal(["abc"], TextTokenizer.Word(minTokenLength: 2, maxTokenLength: 3).Tokens("a abc abcd", TextTokenKind.Document));
    }

    [Theory]
    [InlineData("good cheap", "cheap hardware, good value", true)]
    [InlineData("good cheap", "cheap hardware", false)] // every token must be present
    [InlineData("good", "goodness only", false)] // whole tokens, not substrings (qdrant#10182)
    [InlineData("HELLO", "Hello, world!", true)] // lowercased on both sides
    [InlineData("with:a", "something, with:a", true)]
    [InlineData("h:a", "something, with:a", false)] // qdrant#6253: "h:a" is the tokens h and a
    [InlineData("", "anything", false)] // a query without tokens matches nothing
    [InlineData("!!!", "anything", false)]
    public void Text_needs_every_query_token(string query, string value, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Text("t", query), Payload(value)));

    [Theory]
    [InlineData("good cheap", "cheap hardware", true)] // the docs' example: one token is enough
    [InlineData("good cheap", "goodness only", false)] // qdrant#10526
    [InlineData("", "anything", false)]
    public void Text_any_needs_one_query_token(string query, string value, bool expected) =>
        Assert.Equal(expected, Holds(Condition.TextAny("t", query), Payload(value)));

    [Theory]
    [InlineData("alpha beta", "x alpha beta y", true)]
    [InlineData("alpha beta", "beta alpha", false)] // order matters
    [InlineData("alpha beta", "alpha x beta", false)] // adjacent only
    [InlineData("Alpha, BETA", "alpha beta", true)]
    [InlineData("a a b", "a a a b", true)] // repeated tokens
    [InlineData("a b a", "a b b a", false)]
    [InlineData("", "alpha", false)]
    public void Phrase_needs_adjacent_tokens_in_order(string phrase, string value, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Phrase("t", phrase), Payload(value)));

    [Fact]
    public void A_phrase_longer_than_64_tokens_is_still_found()
    {
        var words = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"w{i % 7}x{i}"));
        Assert.True(Holds(Condition.Phrase("t", words), Payload("lead " + words + " tail")));
        Assert.False(Holds(Condition.Phrase("t", words + " more"), Payload("lead " + words + " tail")));
        Assert.True(Holds(Condition.Text("t", words), Payload(words)));
        Assert.False(Holds(Condition.Text("t", words + " missing"), Payload(words)));
    }

    [Theory]
    [InlineData("""{"t":["red apple","green pear"]}""", true)]
    [InlineData("""{"t":["red","apple"]}""", false)] // each string on its own
    [InlineData("""{"t":42}""", false)]
    [InlineData("""{"t":null}""", false)]
    [InlineData("""{"t":"Red\u0020Apple"}""", true)] // escapes are decoded
    public void Text_tests_strings_and_arrays_of_strings(string payload, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Text("t", "red apple"), payload));

    [Theory]
    [InlineData("abc", "abcdef", true)]
    [InlineData("abc", "ABCdef", false)] // byte-wise, case-sensitive
    [InlineData("", "x", true)]
    [InlineData("é", "éa", true)]
    public void Prefix_is_a_byte_wise_starts_with(string prefix, string value, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Prefix("t", prefix), Payload(value)));

    [Fact]
    public void Prefix_never_matches_other_types() => Assert.False(Holds(Condition.Prefix("t", ""), """{"t":1}"""));

    [Fact]
    public void A_text_index_configuration_replaces_the_default_tokenizer()
    {
        var filter = Filter.Where(Condition.Text("t", "Hello"), Condition.Nested("items", Filter.Where(Condition.Text("title", "a-b"))));
        var caseSensitive = filter.WithTextTokenizers(path => path.Text switch
        {
            "t" => TextTokenizer.Word(lowercase: false),
            "items[].title" => TextTokenizer.Whitespace(),
            _ => null,
        });
        var payload = System.Text.Json.JsonElement.Parse("""{"t":"hello","items":[{"title":"a-b c"}]}""");
        Assert.False(caseSensitive.Matches(PointId.FromNumber(1), payload)); // "Hello" != "hello" without lowercasing
        Assert.True(caseSensitive.Matches(PointId.FromNumber(1), System.Text.Json.JsonElement.Parse("""{"t":"Hello","items":[{"title":"a-b c"}]}""")));
        Assert.False(caseSensitive.Matches(PointId.FromNumber(1), System.Text.Json.JsonElement.Parse("""{"t":"Hello","items":[{"title":"a b"}]}"""))); // whitespace tokens: "a-b" is one token
        Assert.True(filter.Matches(PointId.FromNumber(1), payload)); // the original filter is unchanged
        Assert.Same(filter, filter.WithTextTokenizers(_ => null));
    }

    [Fact]
    public void The_binding_sees_full_paths_through_nested_conditions()
    {
        var seen = new List<string>();
        Filter.Where(Condition.Nested("a", Filter.Where(Condition.Nested("b[]", Filter.Where(Condition.Text("c.d", "x"))))))
            .WithTextTokenizers(path =>
            {
                seen.Add(path.Text);
                return null;
            });
        Assert.Equal(["a[].b[].c.d"], seen);
        Assert.Equal("a[].b", PayloadPath.Parse("a").ArrayKey().Append(PayloadPath.Parse("b")).Text);
    }

    private static string Payload(string text) => System.Text.Json.JsonSerializer.Serialize(new { t = text });
}
