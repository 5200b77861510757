using Microsoft.Extensions.Time.Testing;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;
using RoseForest.Testing;

namespace RoseForest.Memory.Tests;

public class PersistenceTests
{
    private static readonly MemoryScope Alice = Harness.User("alice");

    [Fact]
    public async Task Memories_history_and_the_keyword_index_survive_a_reopen()
    {
        using var dir = new TempDir();
        using var embedder = new HashingEmbeddingGenerator(128);
        var time = new FakeTimeProvider(Harness.Start);
        Guid id;
        await using (var db = await RoseForestDatabase.OpenAsync(dir.Path, new DatabaseOptions { TimeProvider = time }))
        {
            await using var store = new MemoryStore(db, embedder, Harness.With(null, time));
            id = (await store.AddAsync(new AddMemoryRequest { Text = "The boat is called Seagull", Scope = Alice }))[0].Id;
            await store.UpdateAsync(new UpdateMemoryRequest { Id = id, Text = "The boat is called Albatross" });
            await store.SearchAsync(new SearchMemoryRequest { Query = "boat", Scope = Alice });
        }

        await using (var db = await RoseForestDatabase.OpenAsync(dir.Path, new DatabaseOptions { TimeProvider = time }))
        {
            await using var store = new MemoryStore(db, embedder, Harness.With(null, time));
            var hits = await store.SearchAsync(new SearchMemoryRequest { Query = "albatross", Scope = Alice, Mode = RecallMode.Keyword });
            Assert.Equal(id, Assert.Single(hits).Memory.Id);
            Assert.Equal(1, store.KeywordIndex.Count);
            Assert.Equal(2, (await store.HistoryAsync(id)).Count);
            Assert.Equal(1, hits[0].Memory.AccessCount); // the search before the restart, written on dispose
        }
    }

    [Fact]
    public async Task A_collection_of_another_dimension_is_refused_with_a_clear_message()
    {
        await using var h = Harness.Create();
        await h.Database.CreateCollectionAsync("memories-hashing-256", new CollectionOptions { Dimension = 3, Geometry = Geometry.Cosine });
        var e = await Assert.ThrowsAsync<ValidationException>(() => h.Store.ListAsync(new ListMemoryRequest { Scope = Alice }));
        Assert.Contains("another collection name", e.Message, StringComparison.Ordinal);
    }
}
