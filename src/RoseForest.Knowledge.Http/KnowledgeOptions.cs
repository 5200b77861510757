using Microsoft.Extensions.AI;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Http;

/// <summary>Settings of the knowledge part: this node's identity, keys, the embedder, limits and trust constants.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>
    /// This node's id (the origin of its writes and its name in sync). Null: read from
    /// <c>&lt;data&gt;/knowledge/node-id</c>, created with a random id the first time.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>Node keys known without registration: key → node id (for example a node registered by the operator).</summary>
    public IDictionary<string, string> NodeKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The embedder publishing uses for <c>content.text</c> and search for the query. Null: the
    /// default, all-MiniLM-L6-v2 in process (loaded on first use).
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; set; }

    /// <summary>Requests one caller may make per minute on the YumeiCHAIN routes (429 with Retry-After beyond). 0: no limit. Default 600.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>The trust score's constants.</summary>
    public TrustScoreOptions Trust { get; set; } = new();

    /// <summary>How far ahead of this node's clock a peer's write may be stamped before a batch is refused. Default 10 minutes.</summary>
    public TimeSpan MaxClockDrift { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most results <c>GET /knowledge</c> and the search return. Default 1000.</summary>
    public int MaxResults { get; set; } = 1000;

    /// <summary>Start sync jobs saved by an earlier run of this server (default true).</summary>
    public bool ResumeSavedJobs { get; set; } = true;

    /// <summary>The clock (rate limits, trust maturity, stamps); null: the server's.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
