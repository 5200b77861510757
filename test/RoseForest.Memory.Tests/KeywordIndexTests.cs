using System.Text.Json;
using RoseForest.Embeddings.Sparse;
using RoseForest.Embeddings.Text;

namespace RoseForest.Memory.Tests;

public class KeywordIndexTests
{
    private static readonly JsonElement NoView = JsonElement.Parse("{}");

    [Theory]
    [InlineData("lives", "live")]
    [InlineData("allergies", "allergy")]
    [InlineData("boxes", "boxe")]
    [InlineData("glass", "glass")]
    [InlineData("virus", "virus")]
    [InlineData("gas", "gas")]
    [InlineData("toes", "toe")]
    [InlineData("cat", "cat")]
    public void The_s_stemmer_follows_harmans_rules(string word, string stem) => Assert.Equal(stem, SStemmer.Stem(word));

    [Fact]
    public void Scores_equal_textbook_bm25_on_text_without_stop_words_or_plurals()
    {
        string[] documents =
        [
            "red apple orchard harvest",
            "green apple pie recipe with cinnamon",
            "orchard tractor repair manual",
            "cinnamon roll bakery downtown",
            "apple apple apple",
        ];
        var index = new Bm25KeywordIndex();
        var reference = new Bm25ReferenceScorer(tokenizer: new TextTokenizer(new TextTokenizerOptions { RemoveEnglishStopWords = true }));
        var ids = documents.Select((_, i) => new Guid(i + 1, 0, 0, new byte[8])).ToArray();
        for (var i = 0; i < documents.Length; i++)
        {
            index.Upsert(ids[i], documents[i], NoView);
            reference.Add(i, documents[i]);
        }

        foreach (var query in new[] { "apple orchard", "cinnamon", "tractor manual repair", "apple" })
        {
            for (var i = 0; i < documents.Length; i++)
            {
                Assert.Equal(reference.Score(query, i), index.Score(query, ids[i]).Score, 9);
            }
        }
    }

    [Fact]
    public void Coverage_weighs_query_terms_by_idf_and_removal_forgets_a_document()
    {
        var index = new Bm25KeywordIndex();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        index.Upsert(a, "alice likes tea", NoView);
        index.Upsert(b, "alice likes chess", NoView);
        Assert.Equal(1.0, index.Score("tea alice", a).Coverage, 9);
        var partial = index.Score("tea alice", b).Coverage;
        Assert.True(partial is > 0 and < 0.3, $"the common name covers little: {partial}");

        Assert.True(index.Remove(a));
        Assert.False(index.Remove(a));
        Assert.Empty(index.Search("tea", 10));
        Assert.Equal([b], index.Search("chess", 10).Select(h => h.Id));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Search_applies_the_filter_before_the_limit()
    {
        var index = new Bm25KeywordIndex();
        var keep = Guid.NewGuid();
        for (var i = 0; i < 20; i++)
        {
            index.Upsert(Guid.NewGuid(), "tea tea tea", JsonElement.Parse("""{"user_id":"other"}"""));
        }

        index.Upsert(keep, "tea", JsonElement.Parse("""{"user_id":"me"}"""));
        var hits = index.Search("tea", 1, (_, view) => view.GetProperty("user_id").GetString() == "me");
        Assert.Equal([keep], hits.Select(h => h.Id));
    }
}
