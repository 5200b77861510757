using System.Globalization;
using Microsoft.AspNetCore.Http;
using RoseForest.Cluster.Replication;
using RoseForest.Cluster.Routing;

namespace RoseForest.Cluster.Http;

/// <summary>
/// <c>/cluster/local/…</c>: the REST API's own routes, served over this node's local engine
/// instead of the cluster, for peers reading this node's replicas (and downloading transfer
/// snapshots). Only reads of ready replicas pass; a <c>x-roseforest-min-seq</c> header makes the
/// read wait until the replica applied that sequence, and the answer carries the sequence the
/// replica had applied (<c>x-roseforest-applied-seq</c>). A replica that is not ready, or not
/// there in time, answers 409 so the reader tries another.
/// </summary>
internal static class LocalPeerView
{
    public static async Task InvokeAsync(HttpContext context, PathString rest, ClusterNode node, RequestDelegate next)
    {
        var request = context.Request;
        var segments = (rest.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["collections"] && HttpMethods.IsGet(request.Method))
        {
            // The list of this node's local collections (its replicas), for operators and tests.
            await ForwardAsync(context, rest, node, next).ConfigureAwait(false);
            return;
        }

        if (segments.Length < 2 || segments[0] != "collections" || !IsAllowed(request.Method, segments))
        {
            await ClusterJson.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: peers may only read replicas through /cluster/local.").ConfigureAwait(false);
            return;
        }

        var replica = segments[1].StartsWith("shard_", StringComparison.Ordinal) && long.TryParse(segments[1].AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var shardId)
            ? node.Replicas.Get(shardId)
            : null;
        if (replica is not { IsReady: true })
        {
            await ClusterJson.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Conflict: no ready replica {segments[1]} on this node.").ConfigureAwait(false);
            return;
        }

        if (long.TryParse(request.Headers[PeerClient.MinSeqHeader].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var minSeq)
            && replica.AppliedSeq < minSeq
            && !await replica.WaitAppliedAsync(minSeq, node.Options.ReadWaitTimeout, context.RequestAborted).ConfigureAwait(false))
        {
            await ClusterJson.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Conflict: replica {segments[1]} has applied {replica.AppliedSeq}, not yet {minSeq}.").ConfigureAwait(false);
            return;
        }

        context.Response.Headers[PeerClient.AppliedSeqHeader] = replica.AppliedSeq.ToString(CultureInfo.InvariantCulture);
        await ForwardAsync(context, rest, node, next).ConfigureAwait(false);
    }

    private static Task ForwardAsync(HttpContext context, PathString rest, ClusterNode node, RequestDelegate next)
    {
        context.Request.PathBase = context.Request.PathBase.Add("/cluster/local");
        context.Request.Path = rest;
        context.RequestServices = new LocalServices(context.RequestServices, node.Engine);
        return next(context);
    }

    private static bool IsAllowed(string method, string[] segments)
    {
        if (HttpMethods.IsGet(method))
        {
            return true;
        }

        var tail = string.Join('/', segments.Skip(2));
        if (HttpMethods.IsPost(method))
        {
            return tail is "points" or "points/scroll" or "points/count" or "points/query" or "points/query/batch" or "points/query/groups" or "facet";
        }

        return HttpMethods.IsDelete(method) && segments.Length == 4 && segments[2] == "snapshots";
    }

    /// <summary>The request's services with the local engine as the <see cref="IVectorDatabase"/>.</summary>
    private sealed class LocalServices(IServiceProvider inner, IVectorDatabase local) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IVectorDatabase) ? local : inner.GetService(serviceType);
    }
}
