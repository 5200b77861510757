using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RoseForest.Client;

namespace RoseForest.Cluster.Routing;

/// <summary>Which errors mean "try another replica" and which are the request's own fault (a 4xx goes back to the caller at once).</summary>
internal static class ReplicaFailures
{
    /// <summary>The node failed or is unreachable: counts against its circuit breaker.</summary>
    public static bool IsNodeFailure(Exception e) => e switch
    {
        HttpRequestException => true,
        TimeoutRejectedException => true,
        TimeoutException => true,
        RemoteException r => (int)r.Status >= 500,
        TaskCanceledException => true,
        _ => false,
    };

    /// <summary>Another replica may serve the request.</summary>
    public static bool IsRetryable(Exception e) => IsNodeFailure(e) || e switch
    {
        BrokenCircuitException => true,
        ReplicaUnavailableException => true,
        RemoteException r => r.Status == HttpStatusCode.Conflict,

        // From a peer's local engine a missing collection means the replica is being (re)made there.
        CollectionNotFoundException => true,
        _ => false,
    };
}
