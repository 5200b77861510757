using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.SelfOrganizing;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;

namespace RoseForest.Engine;

/// <summary>
/// The self-organizing index (issue 19): the collection's telemetry hooks, its
/// <see cref="IndexOptimizer"/>, and the repairs it runs on the writer. The controller manages the
/// first indexed dense vector. Repairs change only the graph, which is derived state: a
/// snapshot stores whatever graph it pins, and a graph lost or older than the log is rebuilt or
/// completed on open (docs/architecture.md, Recovery), so repairs write no log record.
/// </summary>
public sealed partial class Collection : IIndexOptimizer, IOptimizerHost
{
    private IndexOptimizer? _optimizer;
    // The managed space by reference, not by position: a vector created or deleted later
    // (PATCH, PUT/DELETE .../vectors/{name}) reshapes the table and moves positions, while a
    // surviving space keeps its object. A deleted managed space is no longer managed.
    private DenseSpace? _managed;
    private int _tunedEf;

    /// <summary>The controller, when the collection has a graph and telemetry is on.</summary>
    internal IndexOptimizer? Optimizer => _optimizer;

    private void StartOptimizer(bool telemetry)
    {
        var managed = _table.Dense.FirstOrDefault(d => d.Hnsw is not null);
        if (!telemetry || managed is null)
        {
            return;
        }

        _managed = managed;
        var settings = IndexOptimizer.LoadSettings(_directory, managed.Hnsw!.TargetRecall, _log, Name);
        _optimizer = new IndexOptimizer(this, Name, settings, _directory, _time, _log);
        IndexMetrics.Register(this);
        _optimizer.Start();
    }

    private void StopOptimizer()
    {
        if (_optimizer is { } optimizer)
        {
            IndexMetrics.Unregister(this);
            optimizer.Dispose();
        }
    }

    /// <summary>The ef the controller chose for the managed vector, or null.</summary>
    private int? TunedEf(DenseSpace space) => ReferenceEquals(space, _managed) && Volatile.Read(ref _tunedEf) is > 0 and var ef ? ef : null;

    /// <summary>After a graph search on the managed vector: records its work and region, and samples its query.</summary>
    private void RecordWalk(DenseSpace space, float[] query, float queryAux, bool sampleable)
    {
        if (_optimizer is not { } optimizer || !ReferenceEquals(space, _managed))
        {
            return;
        }

        var ctx = SearchContext.Current;
        if (optimizer.Telemetry.RecordWalk(ctx.Hops, ctx.Scored, ctx.LayerZeroEntry, sampleable))
        {
            optimizer.Telemetry.Offer((float[])query.Clone(), queryAux);
        }
    }

    private void RecordQuery(long started)
    {
        _optimizer?.Telemetry.RecordQuery(_time.GetElapsedTime(started));
    }

    /// <inheritdoc/>
    public OptimizerReport GetOptimizerReport()
    {
        ThrowIfClosed();
        return RequireOptimizer().Report();
    }

    /// <inheritdoc/>
    public Task<OptimizerReport> ConfigureOptimizerAsync(OptimizerSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfClosed();
        settings.Validate();
        return Task.FromResult(RequireOptimizer().Configure(settings));
    }

    /// <inheritdoc/>
    public Task<OptimizerReport> RunOptimizerAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var optimizer = RequireOptimizer();
        return Task.Run(optimizer.RunPassNow, cancellationToken);
    }

    private IndexOptimizer RequireOptimizer() => _optimizer ?? throw new ValidationException(
        "optimizer", $"collection `{Name}` has no self-organizing index: it has no HNSW-indexed dense vector, or the database runs with index telemetry off.");

    private DenseSpace? Managed => _managed is { } m && Array.IndexOf(_table.Dense, m) >= 0 ? m : null;

    bool IOptimizerHost.HasGraph => Managed?.Graph is not null;

    bool IOptimizerHost.IsHyperbolic => Managed?.Geometry is Geometry.Poincare or Geometry.Lorentz;

    int IOptimizerHost.EfConstruct => Managed?.Hnsw?.EfConstruct ?? 100;

    int IOptimizerHost.DefaultEf => Managed is { Hnsw: { } h } space ? TunedEf(space) ?? h.Ef ?? h.EfConstruct : 0;

    long IOptimizerHost.LivePoints => _table.Count;

    long IOptimizerHost.AppliedLsn => LastLsn;

    long IOptimizerHost.BytesInMemory => _table.BytesInMemory;

    void IOptimizerHost.SetTunedEf(int? ef) => Volatile.Write(ref _tunedEf, ef ?? 0);

    GraphHealth? IOptimizerHost.InspectGraph()
    {
        if (_closed)
        {
            return null;
        }

        using var read = ReadScope();
        return Managed?.Graph?.Inspect();
    }

    (double Recall, double[] Rungs)? IOptimizerHost.EvaluateSample(float[] query, float aux, int ef, int[] ladder)
    {
        if (_closed)
        {
            return null;
        }

        using var read = ReadScope();
        if (Managed is not { Graph: { } graph } space || _table.Count < 10)
        {
            return null;
        }

        const int k = 10;
        var exact = SpaceSwitch.Run<ExactScan, Neighbor[]>(space.Geometry, new ExactScan(_table, space, query, aux, k, null));
        var truth = new HashSet<int>(exact.Select(n => n.Slot));
        double RecallAt(int beam)
        {
            var found = SpaceSwitch.Run<GraphSearch, Neighbor[]>(space.Geometry, new GraphSearch(graph, _table, space, space.Codes, DefaultQuantizationParams, query, aux, k, beam, null, 1, null));
            return truth.Count == 0 ? 1 : found.Count(n => truth.Contains(n.Slot)) / (double)truth.Count;
        }

        var rungs = new double[ladder.Length];
        var complete = false;
        for (var i = 0; i < ladder.Length; i++)
        {
            // A beam that finds all ten is taken to find them at every wider beam too.
            rungs[i] = complete ? 1 : RecallAt(ladder[i]);
            complete = rungs[i] >= 1;
        }

        var at = Array.IndexOf(ladder, ef);
        return (at >= 0 ? rungs[at] : RecallAt(ef), rungs);
    }

    RegionMap? IOptimizerHost.BuildRegions()
    {
        if (_closed)
        {
            return null;
        }

        using var read = ReadScope();
        if (Managed is not { } space)
        {
            return null;
        }

        var slots = new List<int>();
        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            if (_table.IsLive(slot) && space.Has(slot))
            {
                slots.Add(slot);
            }
        }

        return RegionMap.Build(slots, s => space.Vectors.Get(s).ToArray(), _table.Count);
    }

    float[] IOptimizerHost.VectorOf(int slot) => Managed is { } space && slot < space.Vectors.Capacity ? space.Vectors.Get(slot).ToArray() : [];

    string IOptimizerHost.RunMaintenance(MaintenanceAction action, RegionMap? regions, int region)
    {
        string result = "skipped: the collection is closing";
        var request = new WriteRequest(RequestKind.Maintenance)
        {
            Maintenance = () => result = Maintain(action, regions, region),
        };
        if (_closed || !_requests.Writer.TryWrite(request))
        {
            return result;
        }

        request.Task.GetAwaiter().GetResult();
        return result;
    }

    /// <summary>On the writer, between write groups: one repair of the managed graph.</summary>
    private string Maintain(MaintenanceAction action, RegionMap? regions, int region)
    {
        if (Managed is not { Graph: { } graph } space)
        {
            return "no graph";
        }

        switch (action)
        {
            case MaintenanceAction.RelinkDeleted:
            {
                var deleted = graph.DeletedCount;
                if (deleted == 0)
                {
                    return "no tombstones";
                }

                var freed = SpaceSwitch.Run<ConsolidateAction, List<int>>(space.Geometry, new ConsolidateAction(graph, IndexingThreads(space)));
                foreach (var links in space.ValueLinks.Values)
                {
                    links.Links.Forget(freed);
                }

                _optimizer?.ForgetSlots(freed);
                _table.AddDetached(freed);
                _table.RecycleFreed();
                return $"relinked the neighbourhoods of {freed.Count} tombstones and freed their slots ({graph.LastRelinked} nodes linked back in)";
            }

            case MaintenanceAction.ReconnectUnreachable:
                return $"linked {SpaceSwitch.Run<ReconnectAction, int>(space.Geometry, new ReconnectAction(graph))} unreachable nodes back in";
            case MaintenanceAction.RefreshEntry:
                return SpaceSwitch.Run<RefreshEntryAction, bool>(space.Geometry, new RefreshEntryAction(graph)) ? $"entry point moved to node {graph.EntryNode}" : "entry point kept";
            case MaintenanceAction.RebuildRegion when regions is not null:
            {
                var nodes = new List<int>();
                for (var slot = 0; slot < _table.SlotCount; slot++)
                {
                    if (_table.IsLive(slot) && space.Has(slot) && graph.Contains(slot) && regions.CellOfNode(slot, s => space.Vectors.Get(s).ToArray()) == region)
                    {
                        nodes.Add(slot);
                    }
                }

                var ef = 2 * space.Hnsw!.EfConstruct;
                var changed = SpaceSwitch.Run<RefineAction, int>(space.Geometry, new RefineAction(graph, nodes, ef));
                return $"rebuilt the layer-0 lists of region {region}: {nodes.Count} nodes searched at ef {ef}, {changed} lists changed";
            }

            default:
                return "nothing to do";
        }
    }

    private readonly struct ReconnectAction(HnswGraph graph) : ISpaceAction<int>
    {
        public int Run<TSpace>()
            where TSpace : struct, ISpace => graph.ReconnectUnreachable<TSpace>();
    }

    private readonly struct RefreshEntryAction(HnswGraph graph) : ISpaceAction<bool>
    {
        public bool Run<TSpace>()
            where TSpace : struct, ISpace => graph.RefreshEntry<TSpace>();
    }

    private readonly struct RefineAction(HnswGraph graph, List<int> nodes, int ef) : ISpaceAction<int>
    {
        public int Run<TSpace>()
            where TSpace : struct, ISpace => graph.RefineNodes<TSpace>(nodes, ef);
    }
}
