using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Tests;

public class TextTokenizerTests
{
    [Theory]
    [InlineData("Hello, World!", "hello|world")]
    [InlineData("Don't stop-loss at 3.5%", "don|t|stop|loss|at|3|5")]
    [InlineData("  tabs\tand\nnewlines\r\n", "tabs|and|newlines")]
    [InlineData("snake_case and camelCase42", "snake|case|and|camelcase42")]
    [InlineData("", "")]
    [InlineData("!!! ... ???", "")]
    public void Splits_on_everything_but_letters_and_digits_and_lowercases(string text, string expected)
    {
        Assert.Equal(Split(expected), TextTokenizer.Default.Tokenize(text));
    }

    [Fact]
    public void Unicode_letters_are_word_characters_and_lowercased()
    {
        // Greek, accented Latin, German sharp s stays as it is (lowercase already), Cyrillic upper case.
        Assert.Equal(["ΣΟΦΙΑ".ToLowerInvariant(), "café", "straße", "москва"], TextTokenizer.Default.Tokenize("ΣΟΦΙΑ Café—Straße; МОСКВА"));
    }

    [Fact]
    public void Combining_marks_stay_inside_the_word_they_follow()
    {
        string decomposed = "cafe\u0301 noir"; // "é" as "e" + COMBINING ACUTE ACCENT
        Assert.Equal(["cafe\u0301", "noir"], TextTokenizer.Default.Tokenize(decomposed));
    }

    [Fact]
    public void Letters_outside_the_basic_plane_are_kept_whole()
    {
        // U+10400 DESERET CAPITAL LETTER LONG I lowercases to U+10428.
        Assert.Equal(["\U00010428x"], TextTokenizer.Default.Tokenize("\U00010400X!"));
    }

    [Fact]
    public void English_stop_words_are_dropped_only_when_asked()
    {
        const string text = "The cat and the hat are on the mat";
        Assert.Equal(9, TextTokenizer.Default.Tokenize(text).Count);
        var tokenizer = new TextTokenizer(new TextTokenizerOptions { RemoveEnglishStopWords = true });
        Assert.Equal(["cat", "hat", "mat"], tokenizer.Tokenize(text));
    }

    [Fact]
    public void Tokens_outside_the_length_bounds_are_dropped_not_cut()
    {
        var tokenizer = new TextTokenizer(new TextTokenizerOptions { MinTokenLength = 2, MaxTokenLength = 5 });
        Assert.Equal(["ab", "abcde"], tokenizer.Tokenize("a ab abcde abcdef"));
    }

    [Fact]
    public void Length_bounds_count_scalar_values_not_utf16_units()
    {
        var tokenizer = new TextTokenizer(new TextTokenizerOptions { MaxTokenLength = 2 });
        // Two letters from outside the basic plane: four UTF-16 units, two scalar values.
        Assert.Single(tokenizer.Tokenize("\U00010428\U00010429"));
    }

    [Fact]
    public void Bad_bounds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextTokenizer(new TextTokenizerOptions { MinTokenLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextTokenizer(new TextTokenizerOptions { MinTokenLength = 4, MaxTokenLength = 3 }));
    }

    private static List<string> Split(string expected) =>
        expected.Length == 0 ? [] : [.. expected.Split('|')];
}
