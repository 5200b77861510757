using Microsoft.Extensions.AI;
using RoseForest.Embeddings.Hashing;

namespace RoseForest.Embeddings.Tests;

public class HashingEmbeddingGeneratorTests
{
    [Fact]
    public void Same_text_gives_the_same_vector_across_instances()
    {
        using var a = new HashingEmbeddingGenerator(128);
        using var b = new HashingEmbeddingGenerator(128);
        Assert.Equal(a.Embed("The quick brown fox"), b.Embed("The quick brown fox"));
    }

    [Fact]
    public void Output_is_pinned_so_a_change_to_the_scheme_is_noticed()
    {
        // Worked by hand for 64 buckets: FNV-1a("a") = 0xe40c292c -> bucket 44, top bit set (-1);
        // "b" = 0xe70c2de5 -> bucket 37 (-1); the bigram "a b" = 0x10a3f9f2 -> bucket 50 (+1).
        // Three unit features, so each is ±1/sqrt(3). A change here needs a new SchemeVersion.
        using var generator = new HashingEmbeddingGenerator(64);
        float[] v = generator.Embed("A b");
        float third = 1 / MathF.Sqrt(3);
        var expected = new float[64];
        expected[44] = -third;
        expected[37] = -third;
        expected[50] = third;
        Assert.Equal(expected, v, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void Vectors_are_unit_length_and_empty_text_is_the_zero_vector()
    {
        using var generator = new HashingEmbeddingGenerator(256);
        Assert.Equal(1.0, EmbeddingMath.Length(generator.Embed("memory of a conversation about gardening")), 1e-5);
        Assert.All(generator.Embed("  ...  "), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Texts_sharing_words_are_closer_than_unrelated_texts()
    {
        using var generator = new HashingEmbeddingGenerator(512);
        float[] query = generator.Embed("the user prefers green tea in the morning");
        float[] similar = generator.Embed("in the morning the user drinks green tea");
        float[] unrelated = generator.Embed("quarterly revenue fell after the merger");
        double near = EmbeddingMath.Cosine(query, similar);
        double far = EmbeddingMath.Cosine(query, unrelated);
        Assert.True(near > 0.5, $"similar texts: cosine {near}");
        Assert.True(far < 0.3, $"unrelated texts: cosine {far}");
        Assert.True(near > far + 0.3);
    }

    [Fact]
    public async Task GenerateAsync_matches_Embed_and_reports_metadata()
    {
        using var generator = new HashingEmbeddingGenerator(64);
        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(["one", "two"]);
        Assert.Equal(2, result.Count);
        Assert.Equal(generator.Embed("two"), result[1].Vector.ToArray());
        Assert.Equal("hashing-64", result[0].ModelId);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(64, metadata.DefaultModelDimensions);
        await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 32 }));
    }
}
