using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RoseForest.Core.Filters;

namespace RoseForest.Memory;

/// <summary>
/// Agent memory over a RoseForest collection (any <see cref="IVectorDatabase"/>: the embedded
/// engine or a remote server). One point per memory: the embedded text as a cosine vector and a
/// payload with the text, scope ids, kind, versions and history, times (Unix ms) and access counts.
/// The BM25 side lives in an <see cref="IKeywordIndex"/> rebuilt from the collection on first use
/// and kept in step by every write made here; so all writes to the memories collection must go
/// through one store. Writes are serialized by one gate; searches run concurrently.
/// </summary>
public sealed partial class MemoryStore : IMemoryStore
{
    /// <summary>The collection the default embedder's memories live in.</summary>
    public const string DefaultCollectionName = "memories";

    private const int PageSize = 512;
    private readonly IVectorDatabase _database;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly MemoryOptions _options;
    private readonly IKeywordIndex _keywords;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private IVectorCollection? _collection;
    private ITimer? _flushTimer;
    private ITimer? _consolidationTimer;
    private bool _disposed;

    /// <summary>
    /// A store over <paramref name="database"/> embedding with <paramref name="embedder"/> (not
    /// owned). Nothing is read until the first call, which creates the collection if needed and
    /// builds the keyword index from it.
    /// </summary>
    public MemoryStore(IVectorDatabase database, IEmbeddingGenerator<string, Embedding<float>> embedder, MemoryOptions? options = null, IKeywordIndex? keywordIndex = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(embedder);
        _options = options ?? new MemoryOptions();
        _options.Validate();
        _database = database;
        _embedder = embedder;
        _keywords = keywordIndex ?? new Bm25KeywordIndex();
        _time = _options.TimeProvider;
        _log = _options.LoggerFactory.CreateLogger<MemoryStore>();
        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        EmbedderId = metadata?.DefaultModelId ?? embedder.GetType().Name;
        CollectionName = _options.CollectionName ?? CollectionFor(EmbedderId);
    }

    /// <summary>The collection the memories live in.</summary>
    public string CollectionName { get; }

    /// <summary>The embedder's model id, recorded with each memory.</summary>
    public string EmbedderId { get; }

    /// <summary>The keyword index (for diagnostics and tests).</summary>
    public IKeywordIndex KeywordIndex => _keywords;

    /// <summary>The collection name for an embedder: <c>memories</c> for all-minilm-l6-v2, else <c>memories-{model}</c>.</summary>
    public static string CollectionFor(string modelId)
    {
        if (modelId == "all-minilm-l6-v2")
        {
            return DefaultCollectionName;
        }

        var clean = new string([.. modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-')]);
        var name = $"{DefaultCollectionName}-{clean}";
        return name.Length > 64 ? name[..64] : name;
    }

    /// <summary>Opens the collection and builds the keyword index now rather than on the first call.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default) => await OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Writes pending access counts and stops the timers. The database and embedder are not disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _consolidationTimer?.Dispose();
        _flushTimer?.Dispose();
        if (_collection is not null)
        {
            try
            {
                await FlushAccessAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RoseForestException or IOException or HttpRequestException or ObjectDisposedException)
            {
                LogFlushFailed(_log, e);
            }
        }

        _writeGate.Dispose();
        _openGate.Dispose();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async ValueTask<IVectorCollection> OpenAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_collection is { } open)
        {
            return open;
        }

        await _openGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_collection is { } raced)
            {
                return raced;
            }

            var dimension = _embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
                ?? (await EmbedAsync(["dimension probe"], ct).ConfigureAwait(false))[0].Length;
            if (!await _database.CollectionExistsAsync(CollectionName, ct).ConfigureAwait(false))
            {
                try
                {
                    await _database.CreateCollectionAsync(CollectionName, new CollectionOptions { Dimension = dimension, Geometry = Geometry.Cosine, Durability = _options.Durability }, ct).ConfigureAwait(false);
                }
                catch (CollectionAlreadyExistsException)
                {
                    // Created meanwhile by someone else: use it.
                }
            }

            var info = await _database.GetCollectionInfoAsync(CollectionName, ct).ConfigureAwait(false);
            if (info.Dimension != dimension || info.Geometry != Geometry.Cosine)
            {
                throw new ValidationException("collection", $"collection '{CollectionName}' is {info.Geometry} with {info.Dimension} dimensions, but embedder '{EmbedderId}' gives cosine vectors of {dimension}: use another collection name for this embedder.");
            }

            var collection = _database.GetCollection(CollectionName);
            var count = await RebuildKeywordIndexAsync(collection, ct).ConfigureAwait(false);
            LogOpened(_log, CollectionName, count);
            _collection = collection;
            StartTimers();
            return collection;
        }
        finally
        {
            _openGate.Release();
        }
    }

    private async Task<int> RebuildKeywordIndexAsync(IVectorCollection collection, CancellationToken ct)
    {
        var count = 0;
        PointId? offset = null;
        do
        {
            var page = await collection.ScrollAsync(new ScrollRequest { Limit = PageSize, Offset = offset, WithPayload = PayloadSelector.Exclude("history") }, ct).ConfigureAwait(false);
            foreach (var point in page.Points)
            {
                if (point.Payload is { } payload && point.Id.IsUuid)
                {
                    var memory = StoredMemory.Read(point.Id, payload);
                    _keywords.Upsert(memory.Id, memory.Text, memory.ToFilterView());
                    count++;
                }
            }

            offset = page.NextOffset;
        }
        while (offset is not null);
        return count;
    }

    private void StartTimers()
    {
        _flushTimer = _time.CreateTimer(_ => _ = FlushAccessInBackgroundAsync(), null, _options.AccessFlushInterval, _options.AccessFlushInterval);
        if (_options.Consolidation.Scopes.Count > 0)
        {
            var every = _options.Consolidation.Interval;
            _consolidationTimer = _time.CreateTimer(_ => _ = ConsolidateInBackgroundAsync(), null, every, every);
        }
    }

    private async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        var embeddings = await _embedder.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
        var vectors = new float[embeddings.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = embeddings[i].Vector.ToArray();
        }

        return vectors;
    }

    /// <summary>A memory by id with its full payload (history included), or null.</summary>
    private async Task<(StoredMemory Memory, float[]? Vector)?> LoadAsync(IVectorCollection collection, Guid id, bool withVector, CancellationToken ct)
    {
        var records = await collection.GetAsync([id], PayloadSelector.All, withVector, ct).ConfigureAwait(false);
        return records.Count == 0 || records[0].Payload is not { } payload ? null : (StoredMemory.Read(records[0].Id, payload), records[0].Vector);
    }

    /// <summary>Loads a memory the caller may see, or throws <see cref="NotFoundException"/> (also for one outside <paramref name="within"/>: existence is not leaked).</summary>
    private async Task<(StoredMemory Memory, float[]? Vector)> LoadVisibleAsync(IVectorCollection collection, Guid id, MemoryScope? within, bool withVector, CancellationToken ct)
    {
        var loaded = await LoadAsync(collection, id, withVector, ct).ConfigureAwait(false);
        if (loaded is not { } found || (within is not null && !within.Contains(found.Memory.Scope)))
        {
            throw new MemoryNotFoundException(id);
        }

        return found;
    }

    private async Task SaveAsync(IVectorCollection collection, IReadOnlyList<(StoredMemory Memory, float[] Vector)> memories, CancellationToken ct)
    {
        var points = new PointStruct[memories.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointStruct(memories[i].Memory.PointId, memories[i].Vector, memories[i].Memory.ToPayload());
        }

        await collection.UpsertAsync(points, cancellationToken: ct).ConfigureAwait(false);
        foreach (var (memory, _) in memories)
        {
            _keywords.Upsert(memory.Id, memory.Text, memory.ToFilterView());
        }
    }

    /// <summary>The filter of what a read may return in a scope at a time.</summary>
    private Filter VisibleFilter(MemoryScope scope, long now, long? asOf, MemoryKind? kind, Filter? user, bool includeExpired)
    {
        var must = new List<Condition>(scope.Conditions());
        if (kind is { } k)
        {
            must.Add(Condition.Match("kind", k.ToName()));
        }

        if (!includeExpired)
        {
            if (asOf is null)
            {
                must.Add(Condition.IsEmpty("expired_at"));
            }

            var t = asOf ?? now;
            must.Add(Condition.Range("valid_from", lte: t));
            must.Add(Condition.Nested(new Filter(should: [Condition.IsEmpty("valid_to"), Condition.Range("valid_to", gt: t)])));
            must.Add(Condition.Nested(new Filter(should: [Condition.IsEmpty("expires_at"), Condition.Range("expires_at", gt: now)])));
        }

        if (user is { IsEmpty: false })
        {
            must.Add(Condition.Nested(user));
        }

        return new Filter(must: must);
    }

    private static string Actor(string? actor) => string.IsNullOrWhiteSpace(actor) ? "api" : actor.Length > 256 ? actor[..256] : actor;

    private string CheckText(string? text, string field = "text")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ValidationException(field, "must not be empty.");
        }

        if (text.Length > _options.MaxTextLength)
        {
            throw new ValidationException(field, $"is {text.Length} characters; the limit is {_options.MaxTextLength}.");
        }

        return text;
    }

    private static JsonElement? CheckMetadata(JsonElement? metadata)
    {
        if (metadata is not { } m || m.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        return m.ValueKind == JsonValueKind.Object ? m.Clone() : throw new ValidationException("metadata", "must be a JSON object.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory collection {Collection} open; keyword index rebuilt with {Count} memories")]
    private static partial void LogOpened(ILogger logger, string collection, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing access counts failed; they are kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
