using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using RoseForest.VectorData.Internal;

namespace RoseForest.VectorData;

/// <summary>
/// A RoseForest collection as an MEVD <see cref="VectorStoreCollection{TKey, TRecord}"/>, over any
/// <see cref="IVectorDatabase"/>: the embedded engine (in process) or <c>RoseForestClient</c>
/// (remote), with the same code. Records are points: the key is the point id (<see cref="ulong"/>
/// or <see cref="Guid"/>), data properties are payload keys (their storage names), vector
/// properties are dense vectors (named by their storage names, or the unnamed vector; see
/// <see cref="RoseForestCollectionOptions.HasNamedVectors"/>). Errors of the database come back as
/// <see cref="VectorStoreException"/> with the RoseForest exception inside.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="ulong"/> or <see cref="Guid"/> (<see cref="object"/> for dynamic collections).</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
public partial class RoseForestCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    private readonly IVectorDatabase _database;

    private readonly CollectionModel _model;

    private readonly RecordMapper _mapper;

    private readonly VectorStoreCollectionMetadata _metadata;

    /// <summary>Creates the collection object (the collection itself is created by <see cref="EnsureCollectionExistsAsync"/>).</summary>
    /// <param name="database">The database: the embedded engine or a client; not disposed by the collection.</param>
    /// <param name="name">The collection's name (1-64 letters, digits, '_' or '-').</param>
    /// <param name="options">The record definition, embedding generator and vector layout.</param>
    public RoseForestCollection(IVectorDatabase database, string name, RoseForestCollectionOptions? options = null)
        : this(database, name, options, static o => typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(RoseForestDynamicCollection)))
            : new RoseForestModelBuilder(o.HasNamedVectors).Build(typeof(TRecord), typeof(TKey), o.Definition, o.EmbeddingGenerator))
    {
    }

    private protected RoseForestCollection(IVectorDatabase database, string name, RoseForestCollectionOptions? options, Func<RoseForestCollectionOptions, CollectionModel> buildModel)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(buildModel);
        if (typeof(TKey) != typeof(ulong) && typeof(TKey) != typeof(Guid) && typeof(TKey) != typeof(object))
        {
            throw new NotSupportedException($"Key type '{typeof(TKey).Name}' is not supported; RoseForest point ids are ulong or Guid.");
        }

        try
        {
            CollectionOptions.ValidateName(name);
        }
        catch (ValidationException e)
        {
            throw new ArgumentException(e.Message, nameof(name), e);
        }

        options ??= new RoseForestCollectionOptions();
        _database = database;
        Name = name;
        _model = buildModel(options);
        var named = options.HasNamedVectors ?? _model.VectorProperties.Count != 1;
        _mapper = new RecordMapper(_model, named);
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = RoseForestVectorStore.SystemName, CollectionName = name };
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        RunAsync("CollectionExists", () => _database.CollectionExistsAsync(Name, cancellationToken));

    /// <inheritdoc />
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        // Unsupported distance functions and index kinds are refused here, before anything is created.
        var options = BuildCollectionOptions();
        await RunAsync("EnsureCollectionExists", async () =>
        {
            if (await _database.CollectionExistsAsync(Name, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            try
            {
                await _database.CreateCollectionAsync(Name, options, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectionAlreadyExistsException)
            {
                // Created by someone else meanwhile: it exists, which is what was asked.
                return true;
            }

            // IsIndexed and IsFullTextIndexed data properties become payload indexes (keyword,
            // integer, float, bool, datetime, uuid by the property's type; text for full text).
            // A type no index holds (a nested object) keeps filtering by scan.
            var collection = _database.GetCollection(Name);
            foreach (var property in _model.DataProperties)
            {
                var type = property.IsFullTextIndexed ? PayloadSchemaType.Text : property.IsIndexed ? IndexType(property.Type) : null;
                if (type is { } t)
                {
                    await collection.CreatePayloadIndexAsync(property.StorageName, new PayloadIndexParams(t), cancellationToken).ConfigureAwait(false);
                }
            }

            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        RunAsync("EnsureCollectionDeleted", () => _database.DeleteCollectionAsync(Name, cancellationToken));

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null :
            serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata :
            serviceType == typeof(IVectorDatabase) ? _database :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <summary>The payload index for a data property's type (its element type for arrays and lists), or null.</summary>
    private static PayloadSchemaType? IndexType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type != typeof(string) && (type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null) is { } element)
        {
            type = Nullable.GetUnderlyingType(element) ?? element;
        }

        return type == typeof(string) ? PayloadSchemaType.Keyword
            : type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ? PayloadSchemaType.Integer
            : type == typeof(float) || type == typeof(double) || type == typeof(decimal) ? PayloadSchemaType.Float
            : type == typeof(bool) ? PayloadSchemaType.Bool
            : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? PayloadSchemaType.Datetime
            : type == typeof(Guid) ? PayloadSchemaType.Uuid
            : null;
    }

    /// <summary>The RoseForest collection settings for the model: one dense vector per vector property.</summary>
    internal CollectionOptions BuildCollectionOptions()
    {
        var vectors = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        foreach (var property in _model.VectorProperties)
        {
            var geometry = DistanceMapping.ToGeometry(property.DistanceFunction, property.ModelName);
            var indexed = DistanceMapping.IsIndexed(property.IndexKind, property.ModelName);
            if (property.Dimensions <= 0)
            {
                throw new InvalidOperationException($"Vector property '{property.ModelName}' needs Dimensions (greater than 0) to create the collection.");
            }

            vectors[property.StorageName] = new VectorParams
            {
                Size = property.Dimensions,
                Distance = geometry,
                Hnsw = indexed ? null : new HnswOptions { M = 0 },
            };
        }

        if (_mapper.NamedVectors)
        {
            return new CollectionOptions { NamedVectors = vectors };
        }

        var single = vectors.Values.Single();
        return new CollectionOptions
        {
            Dimension = single.Size,
            Geometry = single.Distance,
            Hnsw = single.Hnsw is null ? new HnswOptions() : null,
        };
    }

    private protected async Task<T> RunAsync<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RoseForestException or HttpRequestException or System.Text.Json.JsonException)
        {
            throw new VectorStoreException($"RoseForest failed the {operation} operation on collection '{Name}': {e.Message}", e)
            {
                VectorStoreSystemName = RoseForestVectorStore.SystemName,
                CollectionName = Name,
                OperationName = operation,
            };
        }
    }

    private protected async ValueTask<T> RunValueAsync<T>(string operation, Func<ValueTask<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RoseForestException or HttpRequestException or System.Text.Json.JsonException)
        {
            throw new VectorStoreException($"RoseForest failed the {operation} operation on collection '{Name}': {e.Message}", e)
            {
                VectorStoreSystemName = RoseForestVectorStore.SystemName,
                CollectionName = Name,
                OperationName = operation,
            };
        }
    }
}
