using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace RoseForest.VectorData;

/// <summary>
/// RoseForest as an MEVD <see cref="VectorStore"/> over any <see cref="IVectorDatabase"/>: pass the
/// embedded engine (<c>RoseForestDatabase</c>) to run in process, or <c>RoseForestClient</c> to reach
/// a server. The store does not own the database: dispose it yourself.
/// </summary>
public sealed class RoseForestVectorStore : VectorStore
{
    /// <summary>The name in <see cref="VectorStoreMetadata.VectorStoreSystemName"/>.</summary>
    public const string SystemName = "roseforest";

    private readonly IVectorDatabase _database;

    private readonly RoseForestVectorStoreOptions _options;

    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = SystemName };

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public RoseForestVectorStore(IVectorDatabase database, RoseForestVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _options = options ?? new RoseForestVectorStoreOptions();
    }

    /// <inheritdoc />
    public override RoseForestCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        if (typeof(TRecord) == typeof(Dictionary<string, object?>))
        {
            throw new NotSupportedException(VectorDataStrings.GetCollectionWithDictionaryNotSupported);
        }

        return new RoseForestCollection<TKey, TRecord>(_database, name, CollectionOptions(definition));
    }

    /// <inheritdoc />
    public override RoseForestDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        new(_database, name, CollectionOptions(definition ?? throw new ArgumentNullException(nameof(definition))));

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = await Run("ListCollectionNames", () => _database.ListCollectionsAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var name in names)
        {
            yield return name;
        }
    }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        Run("CollectionExists", () => _database.CollectionExistsAsync(name, cancellationToken));

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionDeleted", () => _database.DeleteCollectionAsync(name, cancellationToken));

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null :
            serviceType == typeof(VectorStoreMetadata) ? _metadata :
            serviceType == typeof(IVectorDatabase) ? _database :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    private RoseForestCollectionOptions CollectionOptions(VectorStoreCollectionDefinition? definition) => new()
    {
        Definition = definition,
        EmbeddingGenerator = _options.EmbeddingGenerator,
        HasNamedVectors = _options.HasNamedVectors,
    };

    private static async Task<T> Run<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RoseForestException or HttpRequestException or System.Text.Json.JsonException)
        {
            throw new VectorStoreException($"RoseForest failed the {operation} operation: {e.Message}", e)
            {
                VectorStoreSystemName = SystemName,
                OperationName = operation,
            };
        }
    }
}
