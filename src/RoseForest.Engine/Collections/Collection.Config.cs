using System.Text.Json;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Hnsw;

namespace RoseForest.Engine;

/// <summary>
/// Changing a collection's vectors and settings after it was created (Qdrant's
/// create_vector_name, delete_vector_name and PATCH /collections/{name}). Each change is a logged
/// write like any other (WAL kinds 10-12): staged against the current options on the writer
/// (a refusal logs nothing), applied under the write lock, replayed on open, and carried by the
/// next snapshot's config. collection.json keeps the options the collection was created with; the
/// newest snapshot's config plus the log after it are the current ones.
/// </summary>
public sealed partial class Collection
{
    /// <summary>True while the log is replayed on open: graphs dropped by a change are rebuilt once at the end, not per record.</summary>
    private bool _replaying;

    private static readonly char[] InvalidNameChars = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0'];

    /// <summary>A dense vector's space, for tests that check its graph and codes.</summary>
    internal DenseSpace? DenseSpaceForTests(string name)
    {
        using var read = ReadScope();
        return _table.DenseNamed(name);
    }

    /// <summary>
    /// Adds a named vector (Qdrant's create_vector_name). Existing points do not have it until they
    /// are written with it. The same name and shape again changes nothing; a name taken by a vector
    /// of another shape or kind is refused with a <see cref="ValidationException"/>. The new vector
    /// uses the collection's HNSW and quantization settings (change them with
    /// <see cref="UpdateCollectionAsync"/>).
    /// </summary>
    public Task<UpdateResult> CreateVectorAsync(string vectorName, VectorNameConfig config, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(vectorName);
        ArgumentNullException.ThrowIfNull(config);
        CheckVectorName(vectorName);
        return EnqueueAsync(new WriteRequest(RequestKind.Reconfigure) { Config = ConfigOp.Create(vectorName, config) }, cancellationToken);
    }

    /// <summary>
    /// Removes a named vector and its data from every point (Qdrant's delete_vector_name); nothing
    /// happens when there is no such vector. Removing the last vector of a collection is refused.
    /// </summary>
    public Task<UpdateResult> DeleteVectorAsync(string vectorName, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(vectorName);
        CheckVectorName(vectorName);
        return EnqueueAsync(new WriteRequest(RequestKind.Reconfigure) { Config = ConfigOp.Delete(vectorName) }, cancellationToken);
    }

    /// <summary>
    /// Changes the collection's settings (Qdrant's PATCH /collections/{name}). A change of HNSW
    /// <c>m</c> or <c>ef_construct</c> (or turning the index on or off) rebuilds that vector's graph
    /// from the live points before the write is acknowledged (searches go on meanwhile, on the old
    /// graph); quantization changes rebuild the int8 codes; <c>full_scan_threshold</c>, <c>ef</c>,
    /// <c>max_indexing_threads</c> and sparse modifiers take effect at the next search or write;
    /// <c>on_disk</c>, <c>strict_mode_config</c> and <c>metadata</c> are stored and reported only.
    /// </summary>
    public Task<UpdateResult> UpdateCollectionAsync(CollectionUpdate update, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(update);
        _ = NextOptions(_options, ConfigOp.Change(update)); // bad input fails here, before anything is queued
        return EnqueueAsync(new WriteRequest(RequestKind.Reconfigure) { Config = ConfigOp.Change(update) }, cancellationToken);
    }

    private static void CheckVectorName(string name)
    {
        if (name.Length == 0)
        {
            throw new ValidationException("vector_name", "the unnamed vector is the collection's own: it cannot be added or removed.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > 200)
        {
            throw new ValidationException("vector_name", "a vector name must be at most 200 bytes long.");
        }

        // Qdrant 1.19 refuses these in a new vector's name (they name files on its side). Only
        // here: collections created with such names by earlier versions must still open.
        if (name.IndexOfAny(InvalidNameChars) is var at and >= 0)
        {
            throw new ValidationException("vector_name", $"a vector name must not contain '{name[at]}'.");
        }
    }

    /// <summary>The options after a change, checked; throws <see cref="ValidationException"/> for a change Qdrant refuses (or RoseForest cannot make).</summary>
    internal static CollectionOptions NextOptions(CollectionOptions o, ConfigOp op)
    {
        var named = new Dictionary<string, VectorParams>(o.NamedVectors, StringComparer.Ordinal);
        var sparse = new Dictionary<string, SparseVectorParams>(o.SparseVectors, StringComparer.Ordinal);
        var hnsw = o.Hnsw;
        var quantization = o.Quantization;
        var strict = o.StrictModeConfig;
        var metadata = o.Metadata;
        switch (op.Kind)
        {
            case OpKind.CreateVector:
                var name = op.VectorName!;
                if (op.Vector!.Dense is { } dense)
                {
                    if (sparse.ContainsKey(name))
                    {
                        throw new ValidationException("vector_name", $"Vector `{name}` already exists as a sparse vector");
                    }

                    if (named.TryGetValue(name, out var existing))
                    {
                        return SameShape(existing, dense) ? o : throw new ValidationException("vector_name", $"Vector `{name}` already exists with a different configuration");
                    }

                    named[name] = new VectorParams
                    {
                        Size = dense.Size,
                        Distance = dense.Distance,
                        Curvature = dense.Curvature,
                        Datatype = dense.Datatype,
                        Multivector = dense.Multivector,
                        Embed = dense.Embed,
                    };
                }
                else
                {
                    if (named.ContainsKey(name))
                    {
                        throw new ValidationException("vector_name", $"Vector `{name}` already exists as a dense vector");
                    }

                    if (sparse.TryGetValue(name, out var existing))
                    {
                        return existing.Modifier == op.Vector.Sparse!.Modifier ? o : throw new ValidationException("vector_name", $"Sparse vector `{name}` already exists with a different configuration");
                    }

                    sparse[name] = new SparseVectorParams { Modifier = op.Vector.Sparse!.Modifier };
                }

                break;

            case OpKind.DeleteVector:
                if (!named.Remove(op.VectorName!) && !sparse.Remove(op.VectorName!))
                {
                    return o; // Qdrant: deleting a vector that is not there changes nothing
                }

                break;

            default:
                var u = op.Update!;
                if (u.Hnsw is { } h)
                {
                    hnsw = h.ApplyTo(hnsw);
                }

                if (u.Quantization is { } q)
                {
                    quantization = q.Disabled ? null : q.Scalar;
                }

                foreach (var (vectorName, diff) in u.Vectors ?? new Dictionary<string, VectorParamsUpdate>())
                {
                    if (vectorName.Length == 0 && o.Dimension > 0)
                    {
                        // The unnamed vector's settings are the collection's here.
                        hnsw = diff.Hnsw is { } vh ? vh.ApplyTo(hnsw) : hnsw;
                        quantization = diff.Quantization is { } vq ? (vq.Disabled ? null : vq.Scalar) : quantization;
                        continue;
                    }

                    if (!named.TryGetValue(vectorName, out var p))
                    {
                        throw new ValidationException($"vectors.{vectorName}", $"Not existing vector name error: {vectorName}");
                    }

                    named[vectorName] = new VectorParams
                    {
                        Size = p.Size,
                        Distance = p.Distance,
                        Curvature = p.Curvature,
                        Datatype = p.Datatype,
                        Multivector = p.Multivector,
                        Embed = p.Embed,
                        OnDisk = diff.OnDisk ?? p.OnDisk,
                        Hnsw = diff.Hnsw is { } dh ? dh.ApplyTo(p.Hnsw is { M: 0 } ? null : p.Hnsw ?? hnsw) ?? new HnswOptions { M = 0 } : p.Hnsw,
                        Quantization = diff.Quantization is { } dq ? (dq.Disabled ? null : dq.Scalar) : p.Quantization,
                    };
                }

                foreach (var (vectorName, diff) in u.SparseVectors ?? new Dictionary<string, SparseVectorParamsUpdate>())
                {
                    if (!sparse.TryGetValue(vectorName, out var p))
                    {
                        throw new ValidationException($"sparse_vectors.{vectorName}", $"Not existing vector name error: {vectorName}");
                    }

                    sparse[vectorName] = new SparseVectorParams
                    {
                        Modifier = diff.Modifier ?? p.Modifier,
                        OnDisk = diff.OnDisk ?? p.OnDisk,
                        FullScanThreshold = diff.FullScanThreshold ?? p.FullScanThreshold,
                    };
                }

                if (u.StrictModeConfig is { } sm)
                {
                    strict = Merge(strict, sm, dropNulls: false);
                }

                if (u.Metadata is { } md)
                {
                    metadata = Merge(metadata, md, dropNulls: true);
                }

                break;
        }

        var next = new CollectionOptions
        {
            Dimension = o.Dimension,
            Geometry = o.Geometry,
            Curvature = o.Curvature,
            Datatype = o.Datatype,
            Multivector = o.Multivector,
            Durability = o.Durability,
            FlushInterval = o.FlushInterval,
            WalSegmentBytes = o.WalSegmentBytes,
            CheckpointWalBytes = o.CheckpointWalBytes,
            Hnsw = hnsw,
            Quantization = quantization,
            NamedVectors = named,
            SparseVectors = sparse,
            StrictModeConfig = strict,
            Metadata = metadata,
        };
        next.Validate();
        return next;
    }

    /// <summary>What a prepared vector depends on: a vector recreated with the same name and shape takes the same values.</summary>
    private static bool SameShape(VectorParams a, VectorParams b) =>
        a.Size == b.Size && a.Distance == b.Distance && a.Datatype == b.Datatype && a.Multivector == b.Multivector &&
        (!GeometryInfo.IsHyperbolic(a.Distance) || a.Curvature == b.Curvature);

    /// <summary>Overlays an object's keys on another's; with <paramref name="dropNulls"/> a null value removes the key, else it keeps the old value.</summary>
    private static JsonElement Merge(JsonElement? current, JsonElement diff, bool dropNulls)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (current is { ValueKind: JsonValueKind.Object } c)
        {
            foreach (var p in c.EnumerateObject())
            {
                result[p.Name] = p.Value;
            }
        }

        foreach (var p in diff.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Null)
            {
                result[p.Name] = p.Value;
            }
            else if (dropNulls)
            {
                result.Remove(p.Name);
            }
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (key, value) in result)
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return JsonElement.Parse(stream.ToArray());
    }

    /// <summary>
    /// On the writer: the change against the current options (a refusal logs nothing). A live
    /// collection waits for a running snapshot (it reads the spaces this may replace) and builds
    /// the graphs whose HNSW settings change, from the live points, before anything is logged;
    /// replay leaves them to the rebuild after the log.
    /// </summary>
    private void StageConfig(ConfigOp op)
    {
        op.NewOptions = NextOptions(_options, op);
        if (_replaying)
        {
            return;
        }

        WaitForCheckpoint();
        var next = op.NewOptions.DenseVectors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var space in _table.Dense)
        {
            if (!next.TryGetValue(space.Name, out var p) || !GraphChanges(space.Params, p))
            {
                continue;
            }

            op.Graphs ??= new(StringComparer.Ordinal);
            op.Graphs[space.Name] = p.Hnsw is { M: > 0 } h ? BuildGraph(space, h) : null;
        }
    }

    private static bool GraphChanges(VectorParams before, VectorParams after)
    {
        var a = before.Hnsw is { M: > 0 } x ? x : null;
        var b = after.Hnsw is { M: > 0 } y ? y : null;
        return a is null ? b is not null : b is null || a.M != b.M || a.EfConstruct != b.EfConstruct;
    }

    private static bool SameQuantization(QuantizationOptions? a, QuantizationOptions? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => x.Quantile == y.Quantile && x.ProjectionRank == y.ProjectionRank,
            _ => false,
        };

    /// <summary>A new graph over the space's live vectors with other settings (on the writer; nobody sees it until it is swapped in).</summary>
    private HnswGraph BuildGraph(DenseSpace space, HnswOptions h)
    {
        var graph = new HnswGraph(space.Vectors, GraphParameters(h, space.Geometry));
        graph.EnsureCapacity(space.Vectors.Capacity);
        var slots = new List<int>();
        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            if (_table.IsLive(slot) && space.Has(slot))
            {
                slots.Add(slot);
            }
        }

        var threads = slots.Count >= ParallelInsertThreshold ? (h.MaxIndexingThreads > 0 ? h.MaxIndexingThreads : Environment.ProcessorCount) : 1;
        SpaceSwitch.Run<InsertAction, int>(space.Geometry, new InsertAction(graph, slots, threads));
        return graph;
    }

    /// <summary>
    /// Under the write lock: the new options and spaces become current. Removed spaces and
    /// replaced graphs and codes are set aside for <see cref="FinishConfig"/>; slots only they
    /// held become free.
    /// </summary>
    private void ApplyConfig(ConfigOp op)
    {
        var next = op.NewOptions!;
        if (ReferenceEquals(next, _options))
        {
            return;
        }

        var before = _table.Dense.ToDictionary(d => d.Name, d => d.Params, StringComparer.Ordinal);
        var (removed, _, _) = _table.Reshape(next);
        _options = next;
        var detached = new List<int>();
        foreach (var space in removed)
        {
            Detach(space.Graph, detached);
            op.Replaced.Add(space);
        }

        foreach (var space in _table.Dense)
        {
            if (!before.TryGetValue(space.Name, out var old))
            {
                continue;
            }

            if (GraphChanges(old, space.Params))
            {
                var oldGraph = space.Graph;
                space.Graph = op.Graphs?.GetValueOrDefault(space.Name);
                space.ValueLinks.Clear();
                Detach(oldGraph, detached);
                if (oldGraph is not null)
                {
                    op.Replaced.Add(oldGraph);
                }
            }

            if (!SameQuantization(old.Quantization, space.Params.Quantization))
            {
                if (space.Codes is { } codes)
                {
                    op.Replaced.Add(codes);
                }

                space.Codes = null;
                op.Reencode.Add(space);
            }
        }

        _table.AddDetached(detached);
        if (!_replaying)
        {
            EnsureGraph();
        }
    }

    /// <summary>Slots a graph held as tombstones: free once the graph is gone (unless another graph holds them).</summary>
    private void Detach(HnswGraph? graph, List<int> into)
    {
        if (graph is null)
        {
            return;
        }

        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            if (graph.Contains(slot) && !_table.IsLive(slot))
            {
                into.Add(slot);
            }
        }
    }

    /// <summary>After the write lock is released: dispose what the change replaced and rebuild codes (replay leaves codes to the end of recovery).</summary>
    private void FinishConfig(ConfigOp op)
    {
        foreach (var replaced in op.Replaced)
        {
            replaced.Dispose();
        }

        op.Replaced.Clear();
        if (!_replaying)
        {
            foreach (var space in op.Reencode)
            {
                EncodeSlots(space, []);
            }
        }
    }

    /// <summary>
    /// A write prepared (on the caller's thread) before the collection's vectors changed names
    /// positions that may have moved: re-address it by name. A vector removed, or recreated with
    /// another shape, meanwhile refuses the write (nothing is logged).
    /// </summary>
    private void Relayout(WriteRequest request)
    {
        var now = _table.Layout;
        if (request.Op is UpsertOp u)
        {
            Relayout(u.Vectors, now);
        }

        if (request.Candidates is { } c)
        {
            Relayout(c.Vectors, now);
        }

        if (request.VectorUpdates is { } updates)
        {
            for (var i = 0; i < updates.Count; i++)
            {
                if (updates[i].Vectors.Layout is { } l && !ReferenceEquals(l, now))
                {
                    updates[i] = (updates[i].Id, Relayout(updates[i].Vectors, now));
                }
            }
        }
    }

    private static void Relayout(PreparedVectors[] vectors, VectorLayout now)
    {
        for (var i = 0; i < vectors.Length; i++)
        {
            if (vectors[i].Layout is { } l && !ReferenceEquals(l, now))
            {
                vectors[i] = Relayout(vectors[i], now);
            }
        }
    }

    private static PreparedVectors Relayout(PreparedVectors v, VectorLayout now)
    {
        var old = v.Layout!;
        var moved = now.NewPoint();
        for (var d = 0; d < v.Dense.Length; d++)
        {
            if (v.Dense[d] is { } dense)
            {
                var j = Array.IndexOf(now.Dense, old.Dense[d]);
                moved.Dense[Checked(j >= 0 && SameShape(old.DenseSpaces![d].Params, now.DenseSpaces![j].Params), old.Dense[d], j)] = dense;
            }
        }

        for (var m = 0; m < v.Multi.Length; m++)
        {
            if (v.Multi[m] is { } multi)
            {
                var j = Array.IndexOf(now.Multi, old.Multi[m]);
                moved.Multi[Checked(j >= 0 && SameShape(old.MultiSpaces![m].Params, now.MultiSpaces![j].Params), old.Multi[m], j)] = multi;
            }
        }

        for (var s = 0; s < v.Sparse.Length; s++)
        {
            if (v.Sparse[s] is { } sparse)
            {
                var j = Array.IndexOf(now.Sparse, old.Sparse[s]);
                moved.Sparse[Checked(j >= 0, old.Sparse[s], j)] = sparse;
            }
        }

        return moved;
    }

    private static int Checked(bool ok, string name, int index) =>
        ok ? index : throw new ValidationException("vector", $"vector '{name}' was removed or changed while this write waited in the queue; nothing was written.");
}
