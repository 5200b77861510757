using RoseForest.Embeddings.MiniLm;

namespace RoseForest.Embeddings.Tests;

/// <summary>One model load (about a second) shared by the MiniLM tests.</summary>
public sealed class MiniLmFixture : IDisposable
{
    // A small batch so that ordinary calls here already cross batch boundaries.
    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmEmbeddingOptions { MaxBatchSize = 4 });

    public async Task<float[][]> EmbedAsync(params string[] texts) =>
        [.. (await Generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];

    public void Dispose() => Generator.Dispose();
}
