using Microsoft.Extensions.AI;
using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Hashing;

/// <summary>
/// A deterministic, model-free text embedder for tests and samples: the word unigrams and bigrams
/// of a text (<see cref="TextTokenizer"/>) are feature-hashed into <see cref="Dimensions"/>
/// buckets with a ±1 sign, counted, and the sum scaled to unit L2 length.
/// </summary>
/// <remarks>
/// No seed and no randomness: the same text gives the same vector on every machine and run
/// (FNV-1a over UTF-8, see <see cref="TermHash"/>). Texts sharing words are closer than texts that
/// share none; it knows nothing of synonyms ("car" and "automobile" are unrelated to it). A text
/// without any token maps to the zero vector, the one output that is not unit length. Runs on the
/// caller's thread (it is microseconds of work); thread-safe.
/// </remarks>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "RoseForest.Hashing";

    /// <summary>The version of the feature scheme; part of <see cref="ModelVersion"/>.</summary>
    public const string SchemeVersion = "uni-bi-fnv1a-signed-v1";

    private readonly TextTokenizer _tokenizer;

    /// <summary>Creates a hashing embedder of <paramref name="dimensions"/> buckets.</summary>
    public HashingEmbeddingGenerator(int dimensions = 256, TextTokenizer? tokenizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 2);
        Dimensions = dimensions;
        _tokenizer = tokenizer ?? TextTokenizer.Default;
        ModelId = $"hashing-{dimensions}";
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, ModelId, dimensions);
    }

    /// <summary>The number of buckets (the vector length).</summary>
    public int Dimensions { get; }

    /// <summary>"hashing-{dimensions}".</summary>
    public string ModelId { get; }

    /// <summary>The feature scheme and dimension; equal versions give equal vectors.</summary>
    public string ModelVersion => $"{ModelId}/{SchemeVersion}";

    /// <summary>Provider name, model id and dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>The embedding of one text.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        List<string> tokens = _tokenizer.Tokenize(text);
        for (int i = 0; i < tokens.Count; i++)
        {
            Add(vector, TermHash.Fnv1a32(tokens[i]));
            if (i > 0)
            {
                // A space never occurs inside a token, so "a b" cannot collide with a unigram's text.
                Add(vector, TermHash.Fnv1a32(string.Concat(tokens[i - 1], " ", tokens[i])));
            }
        }
        EmbeddingMath.NormalizeInPlace(vector);
        return vector;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"this generator gives {Dimensions} dimensions, not {dimensions}");
        }
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string text in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (text is null)
            {
                throw new ArgumentException($"text {result.Count} is null", nameof(values));
            }
            result.Add(new Embedding<float>(Embed(text)) { ModelId = ModelId });
        }
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    private void Add(float[] vector, uint hash)
    {
        // Bucket from the low bits' residue, sign from the top bit: a signed hash keeps the
        // expected dot product of unrelated texts at zero despite bucket collisions.
        int bucket = (int)((hash & 0x7FFF_FFFF) % (uint)Dimensions);
        vector[bucket] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
    }
}
