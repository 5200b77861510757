using Microsoft.Extensions.AI;
using RoseForest.Embeddings.Hashing;
using RoseForest.Embeddings.MiniLm;
using RoseForest.Embeddings.Registry;

namespace RoseForest.Embeddings.Tests;

public class EmbedderRegistryTests
{
    [Fact]
    public void Default_registry_describes_minilm_without_loading_it()
    {
        using var registry = EmbedderRegistry.CreateDefault();
        EmbedderDescriptor descriptor = registry.Describe(EmbedderRegistry.DefaultName);
        Assert.Equal("all-minilm-l6-v2", descriptor.Name);
        Assert.Equal("all-minilm-l6-v2", descriptor.ModelId);
        Assert.Equal(384, descriptor.Dimensions);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelVersion, descriptor.Version);
        Assert.False(registry.IsCreated(EmbedderRegistry.DefaultName));
    }

    [Fact]
    public async Task Default_embedder_is_created_once_on_first_use()
    {
        using var registry = EmbedderRegistry.CreateDefault(new MiniLmEmbeddingOptions { MaxBatchSize = 8 });
        IEmbeddingGenerator<string, Embedding<float>> first = registry.Default;
        Assert.True(registry.IsCreated(EmbedderRegistry.DefaultName));
        Assert.Same(first, registry.Get("all-minilm-l6-v2"));
        Assert.Equal(384, (await first.GenerateAsync(["hello"]))[0].Vector.Length);
    }

    [Fact]
    public void Concurrent_first_gets_create_one_instance()
    {
        using var registry = new EmbedderRegistry();
        int created = 0;
        registry.Register(new EmbedderDescriptor("h", "hashing-8", "v", 8), () =>
        {
            Interlocked.Increment(ref created);
            return new HashingEmbeddingGenerator(8);
        });
        IEmbeddingGenerator<string, Embedding<float>>[] seen = new IEmbeddingGenerator<string, Embedding<float>>[16];
        Parallel.For(0, seen.Length, i => seen[i] = registry.Get("h"));
        Assert.Equal(1, created);
        Assert.All(seen, g => Assert.Same(seen[0], g));
    }

    [Fact]
    public void Hashing_embedders_register_under_their_model_id()
    {
        using var registry = new EmbedderRegistry();
        EmbedderDescriptor descriptor = registry.RegisterHashing(64);
        Assert.Equal("hashing-64", descriptor.Name);
        Assert.Equal("hashing-64/uni-bi-fnv1a-signed-v1", descriptor.Version);
        Assert.IsType<HashingEmbeddingGenerator>(registry.Get("hashing-64"));
        Assert.Equal(["hashing-64"], registry.Descriptors.Select(d => d.Name));
    }

    [Fact]
    public void Unknown_and_duplicate_names_are_errors()
    {
        using var registry = EmbedderRegistry.CreateDefault();
        KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => registry.Get("text-embedding-3-small"));
        Assert.Contains("all-minilm-l6-v2", missing.Message, StringComparison.Ordinal);
        registry.RegisterHashing(384);
        Assert.Throws<InvalidOperationException>(() => registry.RegisterHashing(384));
        Assert.Throws<InvalidOperationException>(() => registry.Register(
            new EmbedderDescriptor(EmbedderRegistry.DefaultName, "other", "v", 384), () => new HashingEmbeddingGenerator(384)));
    }

    [Fact]
    public void A_generator_whose_dimensions_disagree_with_its_registration_is_refused()
    {
        using var registry = new EmbedderRegistry();
        registry.Register(new EmbedderDescriptor("wrong", "hashing-16", "v", 32), () => new HashingEmbeddingGenerator(16));
        Assert.Throws<InvalidOperationException>(() => registry.Get("wrong"));
    }

    [Fact]
    public void Disposing_the_registry_disposes_what_it_created_and_only_that()
    {
        var registry = new EmbedderRegistry();
        var created = new TrackingGenerator();
        var neverCreated = new TrackingGenerator();
        registry.Register(new EmbedderDescriptor("a", "m", "v", 1), () => created);
        registry.Register(new EmbedderDescriptor("b", "m", "v", 1), () => neverCreated);
        registry.Get("a");
        registry.Dispose();
        Assert.True(created.Disposed);
        Assert.False(neverCreated.Disposed);
        Assert.Throws<ObjectDisposedException>(() => registry.Get("a"));
    }

    private sealed class TrackingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public bool Disposed { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1f }))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => Disposed = true;
    }
}
