using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster.Http;

/// <summary>
/// Qdrant's cluster API (<c>GET /cluster</c>, <c>GET/POST /collections/{name}/cluster</c>,
/// <c>PUT /collections/{name}/shards</c>, <c>POST /collections/{name}/shards/delete</c>) and the
/// peers' internal routes (apply waits, transfer snapshots).
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ClusterNode node)
    {
        app.MapGet("/cluster", (HttpContext context) => ClusterJson.WriteResultAsync(context, w => WriteCluster(w, node)));

        app.MapGet("/collections/{name}/cluster", async (HttpContext context, string name) =>
        {
            var entry = await Entry(node, name, context.RequestAborted);
            await ClusterJson.WriteResultAsync(context, w => WriteCollectionCluster(w, node, entry));
        });

        app.MapPost("/collections/{name}/cluster", async (HttpContext context, string name) =>
        {
            var entry = await Entry(node, name, context.RequestAborted);
            var body = await ClusterJson.ReadBodyAsync(context);
            await ShardOperations.ApplyAsync(node, entry, body, context.RequestAborted);
            await ClusterJson.WriteResultAsync(context, w => w.WriteBooleanValue(true));
        });

        app.MapPut("/collections/{name}/shards", async (HttpContext context, string name) =>
        {
            var entry = await Entry(node, name, context.RequestAborted);
            await ShardOperations.CreateShardKeyAsync(node, entry, await ClusterJson.ReadBodyAsync(context), context.RequestAborted);
            await ClusterJson.WriteResultAsync(context, w => w.WriteBooleanValue(true));
        });

        app.MapPost("/collections/{name}/shards/delete", async (HttpContext context, string name) =>
        {
            var entry = await Entry(node, name, context.RequestAborted);
            var dropped = await ShardOperations.DropShardKeyAsync(node, entry, await ClusterJson.ReadBodyAsync(context), context.RequestAborted);
            await ClusterJson.WriteResultAsync(context, w => w.WriteBooleanValue(dropped));
        });

        app.MapPost("/cluster/internal/replicas/{shard:long}/wait", async (HttpContext context, long shard) =>
        {
            var replica = node.Replicas.Get(shard);
            if (replica is not { IsReady: true })
            {
                await ClusterJson.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Conflict: no ready replica of shard {shard} here.");
                return;
            }

            var seq = QueryLong(context, "seq");
            var timeout = TimeSpan.FromMilliseconds(Math.Clamp(QueryLong(context, "timeout_ms"), 0, 60_000));
            var applied = await replica.WaitAppliedAsync(seq, timeout, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await using var w = new Utf8JsonWriter(context.Response.Body);
            w.WriteStartObject();
            w.WriteBoolean("applied", applied);
            w.WriteNumber("applied_seq", replica.AppliedSeq);
            if (applied && replica.FailureOf(seq) is { } failure)
            {
                w.WriteString("failure", failure);
            }

            w.WriteEndObject();
        });

        app.MapPost("/cluster/internal/replicas/{shard:long}/snapshot", async (HttpContext context, long shard) =>
        {
            var replica = node.Replicas.Get(shard);
            if (replica is not { IsReady: true })
            {
                await ClusterJson.WriteErrorAsync(context, StatusCodes.Status409Conflict, $"Conflict: no ready replica of shard {shard} here.");
                return;
            }

            var (snapshot, seq) = await replica.SnapshotAsync(context.RequestAborted);
            await node.Catalog.AddSnapshotManifestAsync(shard, node.Id, seq, snapshot, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await using var w = new Utf8JsonWriter(context.Response.Body);
            w.WriteStartObject();
            w.WriteString("name", snapshot.Name);
            w.WriteString("checksum", snapshot.Checksum);
            w.WriteNumber("size", snapshot.Size);
            w.WriteNumber("seq", seq);
            w.WriteEndObject();
        });
    }

    private static async Task<CollectionEntry> Entry(ClusterNode node, string name, CancellationToken cancellationToken) =>
        await ((ClusterDatabase)node.Database).TryEntryAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new CollectionNotFoundException(name);

    private static long QueryLong(HttpContext context, string name) =>
        long.TryParse(context.Request.Query[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ValidationException(name, "query parameter must be an integer.");

    /// <summary>GET /cluster: Qdrant's shape (peers, raft_info with the controller as leader) plus RoseForest's node health.</summary>
    private static void WriteCluster(Utf8JsonWriter w, ClusterNode node)
    {
        var state = node.State;
        w.WriteStartObject();
        w.WriteString("status", "enabled");
        w.WriteNumber("peer_id", node.Id);
        w.WriteStartObject("peers");
        foreach (var n in state.Nodes.Values.OrderBy(n => n.Id))
        {
            w.WriteStartObject(n.Id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("uri", n.Url.ToString());
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("raft_info");
        w.WriteNumber("term", 0);
        w.WriteNumber("commit", 0);
        w.WriteNumber("pending_operations", 0);
        if (state.ControllerId is { } leader)
        {
            w.WriteNumber("leader", leader);
        }
        else
        {
            w.WriteNull("leader");
        }

        w.WriteString("role", node.IsController ? "Leader" : "Follower");
        w.WriteBoolean("is_voter", true);
        w.WriteEndObject();
        w.WriteStartObject("consensus_thread_status");
        w.WriteString("consensus_thread_status", "working");
        w.WriteEndObject();
        w.WriteStartObject("message_send_failures");
        w.WriteEndObject();
        w.WriteStartObject("roseforest");
        w.WriteString("consensus", "postgresql");
        w.WriteString("cluster_id", state.ClusterId);
        w.WriteBoolean("controller", node.IsController);
        w.WriteStartArray("nodes");
        foreach (var n in state.Nodes.Values.OrderBy(n => n.Id))
        {
            w.WriteStartObject();
            w.WriteNumber("peer_id", n.Id);
            w.WriteString("uri", n.Url.ToString());
            w.WriteBoolean("up", node.IsUp(n.Id));
            w.WriteNumber("heartbeat_age_ms", Math.Round(n.HeartbeatAge.TotalMilliseconds + node.Time.GetElapsedTime(state.ReadAt).TotalMilliseconds));
            w.WriteString("circuit", n.Id == node.Id ? "Closed" : node.Peer(n.Id)?.Breaker.CircuitState.ToString() ?? "Closed");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>GET /collections/{name}/cluster: Qdrant's CollectionClusterInfo plus each replica's applied sequence.</summary>
    private static void WriteCollectionCluster(Utf8JsonWriter w, ClusterNode node, CollectionEntry entry)
    {
        w.WriteStartObject();
        w.WriteNumber("peer_id", node.Id);
        w.WriteNumber("shard_count", entry.Shards.Count);
        w.WriteStartArray("local_shards");
        foreach (var shard in entry.Shards)
        {
            if (shard.Replicas.FirstOrDefault(r => r.NodeId == node.Id) is { } r)
            {
                w.WriteStartObject();
                WriteShardHead(w, shard, r);
                w.WriteNumber("points_count", node.Replicas.Get(shard.Id)?.Collection?.GetInfo().PointsCount ?? 0);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("remote_shards");
        foreach (var shard in entry.Shards)
        {
            foreach (var r in shard.Replicas.Where(r => r.NodeId != node.Id))
            {
                w.WriteStartObject();
                WriteShardHead(w, shard, r);
                w.WriteNumber("peer_id", r.NodeId);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("shard_transfers");
        foreach (var t in node.State.Transfers.Where(t => entry.Shards.Any(s => s.Id == t.ShardId)))
        {
            w.WriteStartObject();
            w.WriteNumber("shard_id", entry.Shards.First(s => s.Id == t.ShardId).Number);
            WriteNullable(w, "from", t.FromNode);
            WriteNullable(w, "to", t.ToNode);
            w.WriteBoolean("sync", t.Kind == "replicate");
            w.WriteString("method", t.Kind);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteShardHead(Utf8JsonWriter w, ShardInfo shard, ReplicaInfo r)
    {
        w.WriteNumber("shard_id", shard.Number);
        if (shard.ShardKey is { } key)
        {
            w.WritePropertyName("shard_key");
            using var doc = JsonDocument.Parse(key);
            doc.RootElement.WriteTo(w);
        }

        w.WriteString("state", r.State.ToString());
        w.WriteNumber("roseforest_applied_seq", r.AppliedSeq);
        w.WriteNumber("roseforest_last_seq", shard.LastSeq);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
