using System.Security.Cryptography;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoseForest.Embeddings.MiniLm;
using RoseForest.Host;
using RoseForest.Knowledge.Http.Http;
using RoseForest.Knowledge.Http.KnowledgeNode;
using RoseForest.Knowledge.Http.Store;
using RoseForest.Knowledge.Http.Sync;

namespace RoseForest.Knowledge.Http;

/// <summary>
/// The knowledge part's state for the life of the server, started before the server listens and
/// stopped (jobs, trackers, logs) before the database closes: the node's identity, the knowledge
/// node, the sync hub and jobs, the key check and the rate limiter.
/// </summary>
internal sealed class KnowledgeRuntime(KnowledgeOptions options, ServerOptions server, IVectorDatabase db, ILoggerFactory logging) : IHostedService
{
    private IEmbeddingGenerator<string, Embedding<float>>? _ownedEmbedder;

    public KnowledgeOptions Options => options;

    public KnowledgeNode.KnowledgeNode Node { get; private set; } = null!;

    public SyncHub Hub { get; private set; } = null!;

    public SyncJobManager Jobs { get; private set; } = null!;

    public KnowledgeAuth Auth { get; private set; } = null!;

    public RateLimiter Limiter { get; private set; } = null!;

    public IVectorDatabase Database => db;

    public ILogger Logger { get; } = logging.CreateLogger("RoseForest.Knowledge");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var time = options.TimeProvider ?? server.TimeProvider;
        var dataPath = server.InMemory ? null : server.DataPath;
        var nodeId = options.NodeId ?? ReadOrCreateNodeId(dataPath);
        ISyncLog log = dataPath is null ? new MemorySyncLog() : FileSyncLog.Open(Path.Combine(dataPath, "knowledge", "state"));
        var embedder = options.Embedder ?? (_ownedEmbedder = new MiniLmEmbeddingGenerator());
        Node = await KnowledgeNode.KnowledgeNode.OpenAsync(nodeId, log, new KnowledgeIndex(db, embedder), options, time, Logger, cancellationToken).ConfigureAwait(false);
        Auth = new KnowledgeAuth(server.ApiKey, server.ReadOnlyApiKey, Node.NodeForKeyAsync);
        Limiter = new RateLimiter(options.RequestsPerMinute, time);
        Hub = new SyncHub(nodeId, Node, db, dataPath, time, options.MaxClockDrift, Logger);
        await Hub.ResumeAsync(cancellationToken).ConfigureAwait(false);
        Jobs = new SyncJobManager(Hub, dataPath, time);
        if (options.ResumeSavedJobs)
        {
            Jobs.Resume();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Jobs is not null)
        {
            await Jobs.DisposeAsync().ConfigureAwait(false);
        }

        if (Hub is not null)
        {
            await Hub.DisposeAsync().ConfigureAwait(false);
        }

        if (Node is not null)
        {
            await Node.DisposeAsync().ConfigureAwait(false);
        }

        _ownedEmbedder?.Dispose();
    }

    /// <summary>The node id kept in <c>&lt;data&gt;/knowledge/node-id</c>, created the first time.</summary>
    private static string ReadOrCreateNodeId(string? dataPath)
    {
        var fresh = "node-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        if (dataPath is null)
        {
            return fresh;
        }

        var file = Path.Combine(dataPath, "knowledge", "node-id");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Storage.IO.DurableFile.WriteAllBytesAtomic(file, System.Text.Encoding.UTF8.GetBytes(fresh));
        return fresh;
    }
}
