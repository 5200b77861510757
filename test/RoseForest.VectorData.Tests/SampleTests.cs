using DocumentSearch;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;

namespace RoseForest.VectorData.Tests;

/// <summary>samples/DocumentSearch compiles with these tests and its indexing and search run here (with the hashing embedder, so no model is needed).</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task The_document_search_sample_indexes_a_folder_and_finds_the_paragraph()
    {
        using var data = new TempDir();
        using var docs = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(docs.Path, "garden.txt"), "Roses bloom in early summer.\n\nPrune apple trees in late winter.");
        Directory.CreateDirectory(Path.Combine(docs.Path, "sub"));
        await File.WriteAllTextAsync(Path.Combine(docs.Path, "sub", "kitchen.md"), "Bake the bread at a high heat.\n\nKnead the dough for ten minutes.");
        await File.WriteAllTextAsync(Path.Combine(docs.Path, "ignored.bin"), "not text");

        await using var db = await RoseForestDatabase.OpenAsync(data.Path);
        using var store = new RoseForestVectorStore(db, new() { EmbeddingGenerator = new HashingEmbeddingGenerator(384) });
        var passages = store.GetCollection<Guid, Passage>("documents");
        Assert.Equal(4, await DocumentIndex.IndexFolderAsync(passages, docs.Path));
        Assert.Equal(4, await DocumentIndex.IndexFolderAsync(passages, docs.Path)); // again: same ids, replaced
        Assert.Equal(4, (await passages.GetAsync(p => true, 100).ToListAsync()).Count);

        var hits = await DocumentIndex.SearchAsync(passages, "knead dough", top: 2);
        Assert.Equal(Path.Combine("sub", "kitchen.md"), hits[0].Record.File);
        Assert.Equal(1, hits[0].Record.Paragraph);
    }
}
