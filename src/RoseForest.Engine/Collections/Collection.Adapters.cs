using RoseForest.Engine.Adapters;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

/// <summary>
/// Query adapters learned from relevance feedback (<see cref="IQueryAdapters"/>; issue 19): one
/// low-rank adapter per dense vector and tenant, trained by <see cref="FeedbackAsync"/> and applied
/// to nearest-query vectors in <see cref="Bind"/> (documents are never re-embedded).
/// </summary>
public sealed partial class Collection : IQueryAdapters
{
    private AdapterSet? _adapterSet;

    /// <summary>The adapters, loaded from the collection's folder on first use (so a damaged file never stops the collection opening).</summary>
    private AdapterSet AdapterState => LazyInitializer.EnsureInitialized(ref _adapterSet, () => AdapterSet.Load(
        _options.Durability == Durability.Memory ? null : _directory,
        warning => LogAdapterFileDamaged(_log, Name, warning)));

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Collection {Name}: the query adapters file could not be read ({Error}); the adapters start again")]
    private static partial void LogAdapterFileDamaged(Microsoft.Extensions.Logging.ILogger logger, string name, string error);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Collection {Name}: the query adapters could not be saved on close: {Error}")]
    private static partial void LogAdapterSaveFailed(Microsoft.Extensions.Logging.ILogger logger, string name, string error);

    /// <inheritdoc/>
    public async Task<FeedbackResult> FeedbackAsync(FeedbackRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        if (request.Relevant is not { Count: > 0 })
        {
            throw new ValidationException("relevant", "at least one point must be marked relevant.");
        }

        var vectorName = request.Using ?? string.Empty;
        var query = request.Query switch
        {
            DocumentVector doc => (await EmbedAsync([(doc, vectorName, "query")], cancellationToken).ConfigureAwait(false))[doc],
            DenseVector dense => dense,
            null => throw new ValidationException("query", "is required."),
            _ => throw new ValidationException("query", "adapters learn from dense vectors or texts."),
        };
        var set = AdapterState;
        var options = set.Options;
        QueryAdapter adapter;
        FeedbackResult result;
        bool consolidated;
        using (ReadScope())
        {
            var space = AdaptableSpace(vectorName, "using");
            var prepared = ((DenseVector)new DenseQuerySpace(space).Preprocess(query, "query")).Values;
            var relevant = ResolveMarks(space, request.Relevant, "relevant");
            var irrelevant = ResolveMarks(space, request.Irrelevant, "irrelevant");
            for (var i = 0; i < irrelevant.Length; i++)
            {
                if (Array.IndexOf(relevant, irrelevant[i]) >= 0)
                {
                    throw new ValidationException($"irrelevant[{i}]", $"point {request.Irrelevant[i]} is also marked relevant.");
                }
            }

            // Everything is checked: only now may an adapter be created.
            adapter = set.GetOrAdd(vectorName, request.Tenant ?? string.Empty, space.Dimension, _time.GetUtcNow());
            lock (adapter.Gate)
            {
                var batch = new List<TrainingExample>(1 + options.ReplayBatch)
                {
                    new(prepared, relevant, [.. irrelevant, .. SampleNegatives(space, adapter.Random, options.Negatives, relevant, irrelevant)]),
                };
                for (var i = 0; i < options.ReplayBatch && adapter.Replay.Count > 0; i++)
                {
                    if (Replayed(space, adapter, options) is { } example)
                    {
                        batch.Add(example);
                    }
                }

                var loss = adapter.Step(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch), space.Vectors, space.Geometry, options);
                adapter.Replay.Add(new ReplayEntry(prepared, [.. request.Relevant], [.. request.Irrelevant]));
                consolidated = options.ConsolidateEvery > 0 && adapter.UpdatesSinceConsolidation >= options.ConsolidateEvery;
                if (consolidated)
                {
                    adapter.Consolidate(_time.GetUtcNow(), "auto");
                }

                result = new FeedbackResult(adapter.Updates, loss, batch[0].Negatives.Length, batch.Count - 1, adapter.Version);
            }
        }

        if (consolidated)
        {
            set.Save();
        }

        return result;
    }

    /// <inheritdoc/>
    public Task<AdapterInfo> GetAdaptersAsync(CancellationToken cancellationToken = default) => Task.FromResult(GetAdapters());

    /// <summary>The adapter settings and every adapter with its versions (the synchronous form of <see cref="GetAdaptersAsync"/>).</summary>
    public AdapterInfo GetAdapters()
    {
        ThrowIfClosed();
        var set = AdapterState;
        var adapters = new List<AdapterStateInfo>();
        foreach (var a in set.All.OrderBy(a => a.Using, StringComparer.Ordinal).ThenBy(a => a.Tenant, StringComparer.Ordinal))
        {
            lock (a.Gate)
            {
                adapters.Add(new AdapterStateInfo(a.Using, a.Tenant, a.Dimension, a.Rank, a.Updates, a.Version, a.Replay.Count, [.. a.Versions.Select(a.Info)]));
            }
        }

        return new AdapterInfo(set.Options, adapters);
    }

    /// <inheritdoc/>
    public Task<AdapterInfo> ConfigureAdaptersAsync(AdapterSettings settings, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(settings);
        AdapterState.Configure(settings);
        AdapterState.Save();
        return Task.FromResult(GetAdapters());
    }

    /// <inheritdoc/>
    public Task<AdapterVersionInfo> ConsolidateAdapterAsync(string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var adapter = ExistingAdapter(vectorName, tenant);
        AdapterVersion version;
        lock (adapter.Gate)
        {
            version = adapter.Consolidate(_time.GetUtcNow(), "consolidate");
        }

        AdapterState.Save();
        return Task.FromResult(adapter.Info(version));
    }

    /// <inheritdoc/>
    public Task<AdapterVersionInfo> RollbackAdapterAsync(int version, string? vectorName = null, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var adapter = ExistingAdapter(vectorName, tenant);
        AdapterVersion restored;
        lock (adapter.Gate)
        {
            restored = adapter.Rollback(version);
        }

        AdapterState.Save();
        return Task.FromResult(adapter.Info(restored));
    }

    private QueryAdapter ExistingAdapter(string? vectorName, string? tenant) =>
        AdapterState.Find(vectorName ?? string.Empty, tenant ?? string.Empty)
        ?? throw new ValidationException("using", $"there is no adapter for vector '{vectorName ?? string.Empty}'{(tenant is null ? string.Empty : $" and tenant '{tenant}'")}: it is created by the first feedback.");

    /// <summary>Saves the adapters when the collection closes (not when it is being deleted).</summary>
    private void SaveAdaptersOnClose()
    {
        if (!_deleted && _adapterSet is { } set)
        {
            try
            {
                set.Save();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogAdapterSaveFailed(_log, Name, e.Message);
            }
        }
    }

    /// <summary>The dense space of a vector name, refused for kinds and geometries adapters do not learn in.</summary>
    private Spaces.DenseSpace AdaptableSpace(string vectorName, string field)
    {
        var space = _table.DenseNamed(vectorName);
        if (space is null)
        {
            // Reuses the query path's message for unknown names and other kinds.
            _ = QuerySpace.For(_table, vectorName, field);
            throw new ValidationException(field, $"vector '{vectorName}' is not a plain dense vector; adapters learn only for dense vectors.");
        }

        if (space.Params.Multivector is not null)
        {
            throw new ValidationException(field, $"vector '{vectorName}' is a multivector; adapters learn only for plain dense vectors.");
        }

        if (!QueryAdapter.Supports(space.Geometry))
        {
            throw new ValidationException(field, $"query adapters support cosine, dot, euclid and manhattan vectors; '{(vectorName.Length == 0 ? "(unnamed)" : vectorName)}' is {space.Geometry}, whose queries a linear map would move off the manifold.");
        }

        return space;
    }

    private int[] ResolveMarks(Spaces.DenseSpace space, IReadOnlyList<PointId> ids, string field)
    {
        var slots = new int[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            if (!_table.TryGetSlot(ids[i], out var slot) || !_table.IsLive(slot))
            {
                throw new ValidationException($"{field}[{i}]", $"no point {ids[i]} in collection {Name}.");
            }

            if (!space.Has(slot))
            {
                throw new ValidationException($"{field}[{i}]", $"point {ids[i]} has no vector '{space.Name}'.");
            }

            slots[i] = slot;
        }

        return slots;
    }

    /// <summary>Random live points with the vector, none of them marked; fewer when the collection is small.</summary>
    private int[] SampleNegatives(Spaces.DenseSpace space, Random random, int count, int[] relevant, int[] irrelevant)
    {
        var slots = _table.SlotCount;
        var result = new List<int>(count);
        for (var tries = 0; result.Count < count && tries < count * 4 && slots > 0; tries++)
        {
            var slot = random.Next(slots);
            if (_table.IsLive(slot) && space.Has(slot) && Array.IndexOf(relevant, slot) < 0 && Array.IndexOf(irrelevant, slot) < 0 && !result.Contains(slot))
            {
                result.Add(slot);
            }
        }

        return [.. result];
    }

    /// <summary>A random earlier example with fresh negatives; null when none of its relevant points is left.</summary>
    private TrainingExample? Replayed(Spaces.DenseSpace space, QueryAdapter adapter, AdapterOptions options)
    {
        var entry = adapter.Replay[adapter.Random.Next(adapter.Replay.Count)];
        var relevant = LiveSlots(space, entry.Relevant);
        if (relevant.Length == 0)
        {
            return null;
        }

        var irrelevant = LiveSlots(space, entry.Irrelevant);
        return new TrainingExample(entry.Query, relevant, [.. irrelevant, .. SampleNegatives(space, adapter.Random, options.Negatives, relevant, irrelevant)]);
    }

    private int[] LiveSlots(Spaces.DenseSpace space, PointId[] ids)
    {
        var slots = new List<int>(ids.Length);
        foreach (var id in ids)
        {
            if (_table.TryGetSlot(id, out var slot) && _table.IsLive(slot) && space.Has(slot))
            {
                slots.Add(slot);
            }
        }

        return [.. slots];
    }

    /// <summary>
    /// Which tenant's adapter a query uses, or null for none: the request's switch first
    /// (<see cref="QueryRequest.UseAdapter"/>), else the collection's setting and its A/B fraction.
    /// </summary>
    private string? ChooseAdapter(QueryRequest request)
    {
        if (request.UseAdapter == false)
        {
            return null;
        }

        var set = AdapterState;
        if (set.IsEmpty)
        {
            return null;
        }

        var options = set.Options;
        var use = request.UseAdapter == true
            || (options.Enabled && (options.AbFraction >= 1 || Random.Shared.NextDouble() < options.AbFraction));
        return use ? request.AdapterTenant ?? string.Empty : null;
    }

    /// <summary>A prepared dense query with the chosen adapter applied (the tenant's, else the collection's); the same vector when there is none. Under the read lock.</summary>
    private VectorData Adapt(QuerySpace space, VectorData prepared, string? tenant)
    {
        if (tenant is null || space is not DenseQuerySpace dense || prepared is not DenseVector vector || _adapterSet is not { } set)
        {
            return prepared;
        }

        var adapter = (tenant.Length > 0 ? set.Find(space.Name, tenant) : null) ?? set.Find(space.Name, string.Empty);
        if (adapter is null || adapter.Dimension != vector.Values.Length)
        {
            return prepared;
        }

        var adapted = new float[vector.Values.Length];
        adapter.Weights.Apply(vector.Values, adapted);
        if (dense.Space.Geometry == Geometry.Cosine)
        {
            var norm = MathF.Sqrt(Core.Spaces.VectorMath.Dot(adapted, adapted));
            if (norm > 0 && float.IsFinite(norm))
            {
                for (var i = 0; i < adapted.Length; i++)
                {
                    adapted[i] /= norm;
                }
            }
        }

        return new DenseVector(adapted);
    }

    /// <summary>The collection-wide adapter of the unnamed vector's current weights (for the benchmark's apply timing).</summary>
    internal AdapterWeights AdapterWeightsForBench() =>
        (AdapterState.Find(string.Empty, string.Empty) ?? throw new InvalidOperationException("no adapter yet")).Weights;
}
