using Microsoft.Extensions.AI;

namespace RoseForest.Testing;

/// <summary>
/// A deterministic test embedder: counts of the letters a-h (case-insensitive) in the text, so a
/// test can compute the expected vector of any text by hand. Records every batch it was asked for.
/// </summary>
internal sealed class LetterCountEmbedder(string modelId = "letters-8") : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 8;

    public string ModelId { get; } = modelId;

    public List<IReadOnlyList<string>> Batches { get; } = [];

    public static float[] Embed(string text)
    {
        var v = new float[Dimensions];
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'h')
            {
                v[c - 'a']++;
            }
        }

        return v;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        lock (Batches)
        {
            Batches.Add(texts);
        }

        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Embed(t)) { ModelId = ModelId })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
