using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;

namespace RoseForest.VectorData.Tests;

/// <summary>The README's MEVD sample, kept here verbatim so it compiles and runs; a test checks the README still shows it.</summary>
public sealed partial class ReadmeSampleTests
{
    // README:begin
    public sealed class Note
    {
        [VectorStoreKey] public ulong Id { get; set; }
        [VectorStoreData] public string Text { get; set; } = "";
        [VectorStoreData] public string Topic { get; set; } = "";
        [VectorStoreVector(256)] public string? Embedding { get; set; }   // embedded by the generator
    }

    public static async Task<List<string>> RunAsync(string dataFolder)
    {
        // In process; for a server use new RoseForestClient(new() { BaseAddress = new("http://127.0.0.1:6333") }).
        await using var db = await RoseForestDatabase.OpenAsync(dataFolder);
        using var store = new RoseForestVectorStore(db, new() { EmbeddingGenerator = new HashingEmbeddingGenerator() });
        var notes = store.GetCollection<ulong, Note>("notes");
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync([
            new Note { Id = 1, Text = "Roses bloom in June", Topic = "garden", Embedding = "Roses bloom in June" },
            new Note { Id = 2, Text = "Prune the apple trees in winter", Topic = "garden", Embedding = "Prune the apple trees in winter" },
            new Note { Id = 3, Text = "Roses are a Qdrant-compatible database", Topic = "software", Embedding = "Roses are a Qdrant-compatible database" },
        ]);
        var found = new List<string>();
        await foreach (var hit in notes.SearchAsync("when do roses bloom", top: 2, new() { Filter = n => n.Topic == "garden" }))
        {
            found.Add(hit.Record.Text);
        }

        return found;
    }
    // README:end

    [Fact]
    public async Task The_sample_runs_and_finds_the_garden_note()
    {
        using var dir = new TempDir();
        var found = await RunAsync(dir.Path);
        Assert.Equal("Roses bloom in June", found[0]);
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public void The_readme_shows_the_sample_as_it_is_here()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RoseForest.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no repository root above the test output");
        }

        var source = File.ReadAllText(Path.Combine(root, "test/RoseForest.VectorData.Tests/ReadmeSampleTests.cs"));
        var sample = source[(source.IndexOf("// README:begin", StringComparison.Ordinal) + "// README:begin".Length)..source.IndexOf("    // README:end", StringComparison.Ordinal)];
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.Contains(Normalize(sample), Normalize(readme));
    }

    [Fact]
    public async Task Dependency_injection_registers_the_store_and_collections()
    {
        using var dir = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(dir.Path);
        var generator = new LetterCountGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IVectorDatabase>(db);
        services.AddSingleton<IEmbeddingGenerator>(generator);
        services.AddRoseForestVectorStore();
        services.AddRoseForestCollection<ulong, TextRecord>("texts");
        services.AddRoseForestCollection<ulong, Hotel>("hotels", optionsProvider: _ => new RoseForestCollectionOptions { HasNamedVectors = true });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<VectorStore>();
        Assert.Same(provider.GetRequiredService<RoseForestVectorStore>(), store);
        Assert.Same(db, store.GetService(typeof(IVectorDatabase)));

        var texts = provider.GetRequiredService<VectorStoreCollection<ulong, TextRecord>>();
        Assert.Same(texts, provider.GetRequiredService<IVectorSearchable<TextRecord>>());
        Assert.Same(texts, provider.GetRequiredService<IKeywordHybridSearchable<TextRecord>>());
        Assert.Equal("texts", texts.Name);
        await texts.EnsureCollectionExistsAsync();
        await texts.UpsertAsync(new TextRecord { Key = 1, Text = "abc", Embedding = "abc" });
        Assert.Equal(1, generator.Calls); // the registered generator was picked up

        var hotels = provider.GetRequiredService<VectorStoreCollection<ulong, Hotel>>();
        await hotels.EnsureCollectionExistsAsync();
        Assert.NotEmpty((await ((IVectorDatabase)db).GetCollectionInfoAsync("hotels")).Options!.NamedVectors);

        // The store itself hands out collections with the registered generator too.
        var viaStore = store.GetCollection<ulong, TextRecord>("texts");
        Assert.Single(await viaStore.SearchAsync("abc", 1).ToListAsync());
    }

    private static string Normalize(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
