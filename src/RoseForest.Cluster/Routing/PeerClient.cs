using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RoseForest.Client;

namespace RoseForest.Cluster.Routing;

/// <summary>
/// This node's line to one peer: the peer's local engine through the REST API under
/// <c>/cluster/local/</c> (a <see cref="RoseForestClient"/>, so reads use the same Qdrant JSON
/// as every client), the internal routes (apply waits, snapshot transfers), and the peer's
/// resilience pipeline: a circuit breaker (failure ratio over a sampling window, half-open
/// probes) around a per-attempt timeout, and the latencies that set the hedging delay.
/// </summary>
internal sealed class PeerClient : IAsyncDisposable
{
    public const string MinSeqHeader = "x-roseforest-min-seq";
    public const string AppliedSeqHeader = "x-roseforest-applied-seq";

    private static readonly AsyncLocal<PeerCallScope?> Scope = new();
    private readonly HttpClient _http;
    private readonly HttpClient _localHttp;

    public PeerClient(long nodeId, Uri url, ClusterOptions options)
    {
        NodeId = nodeId;
        Url = url;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var headers = new ScopeHeaders(handler);
        var root = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _http = new HttpClient(headers, disposeHandler: true) { BaseAddress = root, Timeout = Timeout.InfiniteTimeSpan };
        _localHttp = new HttpClient(headers, disposeHandler: false) { BaseAddress = new Uri(root, "cluster/local/"), Timeout = Timeout.InfiniteTimeSpan };
        if (options.ApiKey is { } key)
        {
            _http.DefaultRequestHeaders.Add("api-key", key);
            _localHttp.DefaultRequestHeaders.Add("api-key", key);
        }

        Local = new RoseForestClient(_localHttp);
        Breaker = new CircuitBreakerStateProvider();
        Reads = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && ReplicaFailures.IsNodeFailure(e)),
                StateProvider = Breaker,
            })
            .AddTimeout(options.ReadTimeout)
            .Build();
    }

    public long NodeId { get; }

    public Uri Url { get; }

    /// <summary>The peer's local engine (its shard replicas, named <c>shard_&lt;id&gt;</c>).</summary>
    public RoseForestClient Local { get; }

    /// <summary>The breaker's state: an open circuit means reads skip this peer until the half-open probe.</summary>
    public CircuitBreakerStateProvider Breaker { get; }

    /// <summary>Breaker, then timeout: every read on this peer runs through it.</summary>
    public ResiliencePipeline Reads { get; }

    public LatencyTracker Latency { get; } = new();

    public bool IsOpen => Breaker.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Runs <paramref name="call"/> with the min-seq header set, returning the result and the applied sequence the peer reported.</summary>
    public static async Task<(T Result, long Applied)> WithMinSeqAsync<T>(long minSeq, Func<Task<T>> call)
    {
        var scope = new PeerCallScope(minSeq);
        var previous = Scope.Value;
        Scope.Value = scope;
        try
        {
            var result = await call().ConfigureAwait(false);
            return (result, scope.Applied);
        }
        finally
        {
            Scope.Value = previous;
        }
    }

    /// <summary>Long-polls the peer until its replica of the shard applied <paramref name="seq"/>.</summary>
    public async Task<ApplyWait> WaitAppliedAsync(long shardId, long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"cluster/internal/replicas/{shardId}/wait?seq={seq}&timeout_ms={(long)timeout.TotalMilliseconds}");
        using var response = await _http.PostAsync(path, null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return new ApplyWait(body.GetProperty("applied").GetBoolean(), body.GetProperty("applied_seq").GetInt64(), body.TryGetProperty("failure", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null);
    }

    /// <summary>Asks the peer to snapshot its replica of a shard; returns the snapshot's name, checksum, size and sequence.</summary>
    public async Task<(string Name, string Checksum, long Size, long Seq)> CreateTransferSnapshotAsync(long shardId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"cluster/internal/replicas/{shardId}/snapshot", null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return (body.GetProperty("name").GetString()!, body.GetProperty("checksum").GetString()!, body.GetProperty("size").GetInt64(), body.GetProperty("seq").GetInt64());
    }

    public ValueTask DisposeAsync()
    {
        Local.DisposeAsync();
        _localHttp.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new RemoteException(response.StatusCode, text);
        }
    }

    private sealed class PeerCallScope(long minSeq)
    {
        public long MinSeq { get; } = minSeq;

        public long Applied { get; set; } = -1;
    }

    /// <summary>Adds the min-seq header of the current scope and reads back the applied sequence.</summary>
    private sealed class ScopeHeaders(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var scope = Scope.Value;
            if (scope is not null)
            {
                request.Headers.Add(MinSeqHeader, scope.MinSeq.ToString(CultureInfo.InvariantCulture));
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (scope is not null && response.Headers.TryGetValues(AppliedSeqHeader, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var applied))
            {
                scope.Applied = applied;
            }

            return response;
        }
    }
}

/// <summary>The answer of an apply wait: whether the replica reached the sequence, where it is, and the refusal if the record did not apply.</summary>
internal sealed record ApplyWait(bool Applied, long AppliedSeq, string? Failure);
