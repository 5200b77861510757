using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using RoseForest.Embeddings.Hashing;
using RoseForest.Embeddings.MiniLm;

namespace RoseForest.Embeddings.Registry;

/// <summary>
/// Embedders by name. Each is created on first <see cref="Get"/> (loading a model costs a second
/// and tens of MB, so nothing is built until used) and disposed with the registry. Names compare
/// ordinally. Thread-safe.
/// </summary>
public sealed class EmbedderRegistry : IDisposable
{
    /// <summary>The name of the default embedder, all-MiniLM-L6-v2.</summary>
    public const string DefaultName = MiniLmEmbeddingGenerator.ModelName;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>A registry holding only <see cref="DefaultName"/>, created lazily with <paramref name="options"/>.</summary>
    public static EmbedderRegistry CreateDefault(MiniLmEmbeddingOptions? options = null)
    {
        var registry = new EmbedderRegistry();
        registry.Register(
            new EmbedderDescriptor(DefaultName, MiniLmEmbeddingGenerator.ModelName, MiniLmEmbeddingGenerator.ModelVersion, MiniLmEmbeddingGenerator.Dimensions),
            () => new MiniLmEmbeddingGenerator(options));
        return registry;
    }

    /// <summary>Registers a <see cref="HashingEmbeddingGenerator"/> as "hashing-{dimensions}" and returns its descriptor.</summary>
    public EmbedderDescriptor RegisterHashing(int dimensions = 256)
    {
        var probe = new HashingEmbeddingGenerator(dimensions);
        var descriptor = new EmbedderDescriptor(probe.ModelId, probe.ModelId, probe.ModelVersion, dimensions);
        Register(descriptor, () => new HashingEmbeddingGenerator(dimensions));
        return descriptor;
    }

    /// <summary>
    /// Registers an embedder made by <paramref name="factory"/> on first use; the registry owns and
    /// disposes what the factory returns. A name can be registered once.
    /// </summary>
    public void Register(EmbedderDescriptor descriptor, Func<IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(factory);
        descriptor.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_entries.TryAdd(descriptor.Name, new Entry(descriptor, factory)))
        {
            throw new InvalidOperationException($"an embedder named '{descriptor.Name}' is already registered");
        }
    }

    /// <summary>The registered embedders' descriptors, ordered by name.</summary>
    public IReadOnlyList<EmbedderDescriptor> Descriptors =>
        [.. _entries.Values.Select(e => e.Descriptor).OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The descriptor of <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when unknown.</summary>
    public EmbedderDescriptor Describe(string name) => Find(name).Descriptor;

    /// <summary>Whether <paramref name="name"/>'s embedder has been created yet.</summary>
    public bool IsCreated(string name) => Find(name).Generator.IsValueCreated;

    /// <summary>The embedder registered as <paramref name="name"/>, created on first call.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Get(string name)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        IEmbeddingGenerator<string, Embedding<float>> generator = Find(name).Generator.Value;
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Created while Dispose ran past this entry: nobody else will release it.
            generator.Dispose();
            throw new ObjectDisposedException(nameof(EmbedderRegistry));
        }
        return generator;
    }

    /// <summary>The <see cref="DefaultName"/> embedder.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Default => Get(DefaultName);

    /// <summary>Disposes every embedder the registry created.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (Entry entry in _entries.Values)
        {
            if (entry.Generator.IsValueCreated)
            {
                entry.Generator.Value.Dispose();
            }
        }
    }

    private Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(name, out Entry? entry)
            ? entry
            : throw new KeyNotFoundException($"no embedder named '{name}'; registered: {string.Join(", ", _entries.Keys.Order(StringComparer.Ordinal))}");
    }

    private sealed class Entry(EmbedderDescriptor descriptor, Func<IEmbeddingGenerator<string, Embedding<float>>> factory)
    {
        public EmbedderDescriptor Descriptor { get; } = descriptor;

        public Lazy<IEmbeddingGenerator<string, Embedding<float>>> Generator { get; } =
            new(() => Create(descriptor, factory), LazyThreadSafetyMode.ExecutionAndPublication);

        private static IEmbeddingGenerator<string, Embedding<float>> Create(
            EmbedderDescriptor descriptor, Func<IEmbeddingGenerator<string, Embedding<float>>> factory)
        {
            IEmbeddingGenerator<string, Embedding<float>> generator = factory()
                ?? throw new InvalidOperationException($"the factory for '{descriptor.Name}' returned null");
            int? dimensions = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;
            if (dimensions is { } d && d != descriptor.Dimensions)
            {
                generator.Dispose();
                throw new InvalidOperationException($"'{descriptor.Name}' was registered with {descriptor.Dimensions} dimensions but its generator reports {d}");
            }
            return generator;
        }
    }
}
