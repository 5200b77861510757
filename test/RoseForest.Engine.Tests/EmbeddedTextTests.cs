using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>Text in place of vectors (Qdrant's Document) on vectors that declare an embedding model.</summary>
public class EmbeddedTextTests
{
    private static readonly string[] Texts = ["abba", "cafe", "hedge", "bead", "ace", "fig", "badge", "chafed"];

    private static CollectionOptions Options(string model = "letters-8") => new()
    {
        NamedVectors = new Dictionary<string, VectorParams>
        {
            ["text"] = new() { Size = LetterCountEmbedder.Dimensions, Distance = Geometry.Euclid, Embed = model },
            ["raw"] = new() { Size = 2, Distance = Geometry.Euclid },
        },
    };

    private static PointStruct Doc(ulong id, string text, string? model = null) =>
        new(id, null, JsonElement.Parse($$"""{"t":"{{text}}"}""")) { Vectors = new Dictionary<string, VectorData> { ["text"] = new DocumentVector(text, model), ["raw"] = new DenseVector([id, 0]) } };

    [Fact]
    public async Task Texts_are_embedded_once_per_call_stored_and_searched_like_their_vectors()
    {
        var embedder = new LetterCountEmbedder();
        using var tmp = new TempDir();
        var options = new DatabaseOptions { EmbeddingModels = name => name == "letters-8" ? embedder : null };
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path, options))
        {
            var c = await db.CreateCollectionAsync("docs", Options());
            await c.UpsertAsync([.. Texts.Select((t, i) => Doc((ulong)i + 1, t))]);
            Assert.Single(embedder.Batches);
            Assert.Equal(Texts, embedder.Batches[0]);

            // Stored: the embedding of each text.
            var stored = (await c.GetAsync([3], PayloadSelector.None, VectorSelector.All))[0];
            Assert.Equal(LetterCountEmbedder.Embed("hedge"), ((DenseVector)stored.Vectors!["text"]).Values);

            // Searched: a text query answers exactly what its vector answers, in every query form.
            foreach (var query in new[] { "bad", "chef", "x" })
            {
                var byText = await c.QueryAsync(new QueryRequest { Query = new NearestQuery(VectorInput.Of(new DocumentVector(query, "letters-8"))), Using = "text", Limit = 5 });
                var byVector = await c.QueryAsync(new QueryRequest { Query = new NearestQuery(LetterCountEmbedder.Embed(query)), Using = "text", Limit = 5 });
                Assert.Equal(byVector.Select(h => (h.Id, h.Score)), byText.Select(h => (h.Id, h.Score)));
            }

            var prefetched = await c.QueryAsync(new QueryRequest
            {
                Prefetch = [new Prefetch { Query = new NearestQuery(VectorInput.Of(new DocumentVector("bead"))), Using = "text", Limit = 3 }],
                Query = new NearestQuery(new float[] { 4, 0 }),
                Using = "raw",
                Limit = 3,
            });
            var expectedPrefetch = Texts.Select((t, i) => (Id: (ulong)i + 1, D: Distance(LetterCountEmbedder.Embed(t), LetterCountEmbedder.Embed("bead"))))
                .OrderBy(x => x.D).ThenBy(x => x.Id).Take(3).Select(x => x.Id).OrderBy(id => Math.Abs((double)id - 4)).ToArray();
            Assert.Equal(expectedPrefetch, prefetched.Select(h => ulong.Parse(h.Id.ToString(), System.Globalization.CultureInfo.InvariantCulture)));

            var recommended = await c.QueryAsync(new QueryRequest { Query = new RecommendQuery([VectorInput.Of(new DocumentVector("cafe"))], [VectorInput.Of(new DocumentVector("hedge"))]), Using = "text", Limit = 2 });
            Assert.Equal(2, recommended.Count);

            // update_vectors takes text too.
            await c.UpdateVectorsAsync([new PointStruct(1) { Vectors = new Dictionary<string, VectorData> { ["text"] = new DocumentVector("ggg") } }]);
            Assert.Equal(LetterCountEmbedder.Embed("ggg"), ((DenseVector)(await c.GetAsync([1], PayloadSelector.None, VectorSelector.All))[0].Vectors!["text"]).Values);
        }

        // The declared model survives a restart; the stored vectors are the embeddings (nothing is re-embedded).
        var batches = embedder.Batches.Count;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path, options))
        {
            var c = db.GetCollection("docs");
            Assert.Equal("letters-8", c.Options.NamedVectors["text"].Embed);
            Assert.Equal(LetterCountEmbedder.Embed("ggg"), ((DenseVector)(await c.GetAsync([1], PayloadSelector.None, VectorSelector.All))[0].Vectors!["text"]).Values);
            Assert.Equal(batches, embedder.Batches.Count);
        }
    }

    [Fact]
    public async Task Text_that_cannot_be_embedded_is_refused_and_nothing_is_written()
    {
        var embedder = new LetterCountEmbedder();
        await using var db = RoseForestDatabase.CreateInMemory(new DatabaseOptions { EmbeddingModels = name => name == "letters-8" ? embedder : null });
        var c = await db.CreateCollectionAsync("docs", Options());
        await c.UpsertAsync([Doc(1, "abc")]);

        // Another model named in the document.
        var e = await Assert.ThrowsAsync<ValidationException>(() => c.UpsertAsync([Doc(2, "abc", "other-model")]));
        Assert.Equal("points[0].vector.text.model", e.Field);

        // Text for a vector without a model.
        e = await Assert.ThrowsAsync<ValidationException>(() => c.UpsertAsync([new PointStruct(3) { Vectors = new Dictionary<string, VectorData> { ["raw"] = new DocumentVector("abc") } }]));
        Assert.Contains("declares no embedding model", e.Message, StringComparison.Ordinal);

        // A model the database does not have, and a model of the wrong size.
        var missing = await db.CreateCollectionAsync("missing", Options("no-such-model"));
        e = await Assert.ThrowsAsync<ValidationException>(() => missing.UpsertAsync([Doc(1, "abc")]));
        Assert.Contains("not available on this server", e.Message, StringComparison.Ordinal);
        await using var small = RoseForestDatabase.CreateInMemory(new DatabaseOptions { EmbeddingModels = _ => embedder });
        var wrongSize = await small.CreateCollectionAsync("w", new CollectionOptions { NamedVectors = new Dictionary<string, VectorParams> { ["text"] = new() { Size = 4, Distance = Geometry.Cosine, Embed = "letters-8" } } });
        e = await Assert.ThrowsAsync<ValidationException>(() => wrongSize.UpsertAsync([new PointStruct(1) { Vectors = new Dictionary<string, VectorData> { ["text"] = new DocumentVector("abc") } }]));
        Assert.Contains("dimension 8", e.Message, StringComparison.Ordinal);

        // A query with text for a vector without a model.
        await Assert.ThrowsAsync<ValidationException>(async () => await c.QueryAsync(new QueryRequest { Query = new NearestQuery(VectorInput.Of(new DocumentVector("abc"))), Using = "raw" }));

        Assert.Equal(1, await c.CountAsync(null));
        Assert.Equal(0, await missing.CountAsync(null));
        Assert.Equal(0, await wrongSize.CountAsync(null));
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
