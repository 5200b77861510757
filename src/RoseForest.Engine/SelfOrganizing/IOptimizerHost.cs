using RoseForest.Index.Hnsw;

namespace RoseForest.Engine.SelfOrganizing;

/// <summary>What the controller needs from its collection (implemented by <see cref="Collection"/>).</summary>
internal interface IOptimizerHost
{
    /// <summary>The managed graph (the first indexed dense vector's), or null.</summary>
    bool HasGraph { get; }

    bool IsHyperbolic { get; }

    int EfConstruct { get; }

    /// <summary>The ef searches use when a request gives none.</summary>
    int DefaultEf { get; }

    long LivePoints { get; }

    /// <summary>The LSN of the last applied write (the graph changes only with writes and repairs).</summary>
    long AppliedLsn { get; }

    long BytesInMemory { get; }

    /// <summary>Sets the controller's default ef (null: back to the configured one). Memory only.</summary>
    void SetTunedEf(int? ef);

    /// <summary>Graph health, read under the collection's read lock (null without a graph).</summary>
    GraphHealth? InspectGraph();

    /// <summary>
    /// Re-runs a sampled query under the read lock: exact top 10, then the graph at
    /// <paramref name="ef"/> and at each ladder rung (stopping once a rung finds all 10: larger
    /// rungs are taken to find them too). Returns null when the collection has too few points.
    /// </summary>
    (double Recall, double[] Rungs)? EvaluateSample(float[] query, float aux, int ef, int[] ladder);

    /// <summary>Builds k-means cells over the live vectors (under the read lock).</summary>
    RegionMap? BuildRegions();

    /// <summary>A stored vector (for a node's cell).</summary>
    float[] VectorOf(int slot);

    /// <summary>Runs a repair on the collection's writer, between write groups; returns what it did.</summary>
    string RunMaintenance(MaintenanceAction action, RegionMap? regions, int region);
}

/// <summary>The repair actions (issue 19).</summary>
internal enum MaintenanceAction
{
    /// <summary>Consolidation now: relink the neighbourhoods of deleted nodes, move the entry off a tombstone, free the slots (the writer's existing consolidation, forced).</summary>
    RelinkDeleted,

    /// <summary>Link every live node layer 0 does not reach back in.</summary>
    ReconnectUnreachable,

    /// <summary>Rebuild the layer-0 lists of one region's nodes with a wider search (2·ef_construct).</summary>
    RebuildRegion,

    /// <summary>Re-elect the entry point (a live medoid of the top layer).</summary>
    RefreshEntry,
}
