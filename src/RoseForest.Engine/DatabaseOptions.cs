using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RoseForest.Engine;

/// <summary>Settings of an open database.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The clock for flush timers and timestamps (tests inject a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// When a log or snapshot is damaged before its tail, keep everything up to the last good
    /// record and move the rest aside (never deleting it) instead of refusing to open.
    /// </summary>
    public bool Salvage { get; init; }

    /// <summary>
    /// The most log a collection keeps for change-feed followers beyond its last checkpoint
    /// (default 1 GiB). A follower further behind must resync from a snapshot
    /// (<see cref="ChangeFeedGapException"/>).
    /// </summary>
    public long MaxRetainedWalBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The embedding models by name (null for an unknown name), for vectors that declare
    /// <see cref="VectorParams.Embed"/>: points and queries may then carry text
    /// (<see cref="DocumentVector"/>), embedded before it is stored or searched. Null: no models,
    /// and such text is refused with a <see cref="ValidationException"/>. The server passes its
    /// <c>--embedder</c> registry here.
    /// </summary>
    public Func<string, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>?>? EmbeddingModels { get; init; }

    /// <summary>
    /// Index telemetry and the self-organizing controller (issue 19; default on): per-query
    /// latency, hops and regions, sampled queries re-run for the recall estimate, and a
    /// controller pass per collection every <c>interval_seconds</c> (acting only when the
    /// collection's controller is enabled). Off: none of it, and the optimizer route answers 400.
    /// </summary>
    public bool IndexTelemetry { get; init; } = true;

    /// <summary>Where the engine logs warnings (quarantined log records, collections that failed to open).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
