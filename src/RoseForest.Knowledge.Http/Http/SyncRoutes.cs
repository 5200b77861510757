using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RoseForest.Contracts.Qdrant;
using RoseForest.Knowledge.Http.Sync;

namespace RoseForest.Knowledge.Http.Http;

/// <summary>
/// The sync protocol between RoseForest servers and the job API (docs/api.md, "Sync"). On a server
/// with API keys, reads need the admin or read-only key and everything else the admin key; node
/// keys do not open these routes.
/// </summary>
internal sealed class SyncRoutes(KnowledgeRuntime runtime)
{
    private SyncHub Hub => runtime.Hub;

    private SyncJobManager Jobs => runtime.Jobs;

    private KnowledgeAuth Auth => runtime.Auth;

    private IVectorDatabase Db => runtime.Database;

    private ILogger Logger => runtime.Logger;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/sync/node", context => Run(context, write: false, async () =>
        {
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("node_id", Hub.NodeId);
                w.WriteEndObject();
            });
        }));

        app.MapGet("/sync/collections", context => Run(context, write: false, async () =>
        {
            var shapes = await Hub.CollectionsAsync(context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("collections");
                foreach (var (name, shape) in shapes)
                {
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    SyncJson.WriteShape(w, shape);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }));

        app.MapGet("/sync/collections/{name}", (HttpContext context, string name) => Run(context, write: false, async () =>
            await DescribeAsync(context, await Hub.ReplicaAsync(name, context.RequestAborted))));

        app.MapPost("/sync/collections/{name}/prepare", (HttpContext context, string name) => Run(context, write: true, async () =>
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            var body = doc.RootElement;
            var create = body.TryGetProperty("create", out var c) && c.ValueKind == JsonValueKind.Object ? SyncJson.ReadShape(c) : null;
            var strategy = body.TryGetProperty("strategy", out var s) && s.ValueKind == JsonValueKind.String ? StrategyNames.Parse(s.GetString()) : (Knowledge.Sync.ConflictStrategy?)null;
            await DescribeAsync(context, await Hub.PrepareAsync(name, create, strategy, context.RequestAborted));
        }));

        app.MapMethods("/sync/collections/{name}/changes", ["GET", "POST"], (HttpContext context, string name) => Run(context, write: false, async () =>
        {
            var (since, limit, filter, key) = await ReadChangesRequestAsync(context);
            var replica = await Hub.ReplicaAsync(name, context.RequestAborted);
            await WriteBodyAsync(context, w => replica.ReadChangesAsync(w, since, limit, filter is null ? null : QdrantFilter.Parse(filter), key, context.RequestAborted));
        }));

        app.MapGet("/sync/collections/{name}/checkpoints/{source}", (HttpContext context, string name, string source) => Run(context, write: false, async () =>
        {
            var replica = await Hub.ReplicaAsync(name, context.RequestAborted);
            await WriteCheckpointAsync(context, source, await replica.GetCheckpointAsync(source, context.Request.Query["key"].ToString(), context.RequestAborted));
        }));

        app.MapPost("/sync/collections/{name}/apply", (HttpContext context, string name) => Run(context, write: true, async () =>
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            var replica = await Hub.ReplicaAsync(name, context.RequestAborted);
            await WriteOutcomeAsync(context, await replica.ApplyAsync(doc.RootElement, context.RequestAborted));
        }));

        app.MapGet("/sync/collections/{name}/conflicts", (HttpContext context, string name) => Run(context, write: false, async () =>
        {
            var replica = await Hub.ReplicaAsync(name, context.RequestAborted);
            var limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 10_000 ? l : 100;
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            int count;
            using (var list = new Utf8JsonWriter(buffer))
            {
                count = await replica.WriteConflictsAsync(list, limit, context.RequestAborted);
            }

            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WritePropertyName("conflicts");
                w.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
                w.WriteEndObject();
            });
        }));

        app.MapGet("/sync/collections/{name}/hash", (HttpContext context, string name) => Run(context, write: false, async () =>
        {
            var replica = await Hub.ReplicaAsync(name, context.RequestAborted);
            var (records, points, conflicts) = await replica.RecordsHashAsync(context.RequestAborted);
            var (content, stored) = await ContentHashAsync(name, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("content_hash", content);
                w.WriteNumber("points", stored);
                w.WriteString("records_hash", records);
                w.WriteNumber("live_records", points);
                w.WriteNumber("conflicts", conflicts);
                w.WriteEndObject();
            });
        }));

        app.MapMethods("/sync/knowledge/changes", ["GET", "POST"], context => Run(context, write: false, async () =>
        {
            var (since, limit, _, _) = await ReadChangesRequestAsync(context);
            await WriteBodyAsync(context, w => Hub.Knowledge.ReadChangesAsync(w, since, limit, context.RequestAborted));
        }));

        app.MapGet("/sync/knowledge/checkpoints/{source}", (HttpContext context, string source) => Run(context, write: false, async () =>
            await WriteCheckpointAsync(context, source, await Hub.Knowledge.GetCheckpointAsync(source, context.Request.Query["key"].ToString(), context.RequestAborted))));

        app.MapPost("/sync/knowledge/apply", context => Run(context, write: true, async () =>
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            await WriteOutcomeAsync(context, await Hub.Knowledge.ApplyAsync(doc.RootElement, context.RequestAborted));
        }));

        app.MapGet("/sync/knowledge/ack", context => Run(context, write: false, async () =>
        {
            var vector = await Hub.Knowledge.AcknowledgementVectorAsync(context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("node_id", Hub.NodeId);
                w.WriteStartObject("vector");
                foreach (var (origin, max) in vector)
                {
                    w.WriteNumber(origin, max);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
        }));

        app.MapPost("/sync/knowledge/ack/{peer}", (HttpContext context, string peer) => Run(context, write: true, async () =>
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            var vector = new Dictionary<string, long>(StringComparer.Ordinal);
            if (!doc.RootElement.TryGetProperty("vector", out var v) || v.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("vector", "is required: an object of origin to count.");
            }

            foreach (var p in v.EnumerateObject())
            {
                vector[p.Name] = p.Value.TryGetInt64(out var n) && n >= 0 ? n : throw new ValidationException($"vector.{p.Name}", "must be a non-negative integer.");
            }

            var collected = await Hub.Knowledge.AcknowledgeAsync(peer, vector, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("collected", collected);
                w.WriteEndObject();
            });
        }));

        app.MapGet("/sync/knowledge/hash", context => Run(context, write: false, async () =>
        {
            var (content, crdt, count) = await Hub.Knowledge.HashesAsync(context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("content_hash", content);
                w.WriteString("crdt_hash", crdt);
                w.WriteNumber("knowledge", count);
                w.WriteEndObject();
            });
        }));

        app.MapPost("/sync/jobs", context => Run(context, write: true, async () =>
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            var job = Jobs.Create(SyncJobSpec.Read(doc.RootElement));
            var wait = string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase);
            if (wait && !job.Spec.Continuous)
            {
                await job.Completion.WaitAsync(context.RequestAborted);
            }

            await Answers.JsonAsync(context, wait ? 200 : 201, job.WriteStatus);
        }));

        app.MapGet("/sync/jobs", context => Run(context, write: false, async () =>
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("jobs");
                foreach (var job in Jobs.List())
                {
                    job.WriteStatus(w);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            })));

        app.MapGet("/sync/jobs/{id}", (HttpContext context, string id) => Run(context, write: false, async () =>
            await Answers.JsonAsync(context, 200, Job(id).WriteStatus)));

        app.MapPost("/sync/jobs/{id}/run", (HttpContext context, string id) => Run(context, write: true, async () =>
        {
            var job = Job(id);
            job.Wake();
            await Answers.JsonAsync(context, 202, job.WriteStatus);
        }));

        app.MapDelete("/sync/jobs/{id}", (HttpContext context, string id) => Run(context, write: true, async () =>
        {
            if (!await Jobs.RemoveAsync(id))
            {
                throw new KnowledgeHttpException(404, $"Not found: no sync job {id}.");
            }

            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "success");
                w.WriteString("message", $"Sync job {id} stopped");
                w.WriteEndObject();
            });
        }));
    }

    private SyncJob Job(string id) => Jobs.Get(id) ?? throw new KnowledgeHttpException(404, $"Not found: no sync job {id}.");

    private Task Run(HttpContext context, bool write, Func<Task> route) => Answers.GuardAsync(context, Logger, async () =>
    {
        if (Auth.ServerIsLocked)
        {
            var caller = await Auth.IdentifyAsync(context);
            if (caller.Kind is CallerKind.Anonymous or CallerKind.Invalid or CallerKind.Node)
            {
                throw new KnowledgeHttpException(401, "Sync routes need the server's API key (api-key or Authorization).");
            }

            if (write && caller.Kind != CallerKind.Admin)
            {
                throw new KnowledgeHttpException(403, "Write access denied: sync changes need the server's full API key.");
            }
        }

        await route();
    });

    private static async Task<(long Since, int Limit, string? Filter, string Key)> ReadChangesRequestAsync(HttpContext context)
    {
        long since = 0;
        var limit = 256;
        string? filter = null;
        var key = string.Empty;
        var query = context.Request.Query;
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.ContentLength is not 0)
        {
            using var doc = await YumeiRoutes.ReadBodyAsync(context);
            var body = doc.RootElement;
            since = body.TryGetProperty("since", out var s) ? s.GetInt64() : 0;
            limit = body.TryGetProperty("limit", out var l) ? l.GetInt32() : limit;
            filter = body.TryGetProperty("filter", out var f) && f.ValueKind == JsonValueKind.Object ? f.GetRawText() : null;
            key = body.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : key;
        }
        else
        {
            since = query["since"].Count > 0 && long.TryParse(query["since"], CultureInfo.InvariantCulture, out var s) ? s : since;
            limit = query["limit"].Count > 0 && int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : limit;
        }

        if (since < 0)
        {
            throw new ValidationException("since", $"must be at least 0, got {since}.");
        }

        if (limit is < 1 or > 10_000)
        {
            throw new ValidationException("limit", $"must be between 1 and 10000, got {limit}.");
        }

        return (since, limit, filter, key);
    }

    private static async Task WriteBodyAsync(HttpContext context, Func<Utf8JsonWriter, Task> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var w = new Utf8JsonWriter(buffer))
        {
            await write(w);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static Task WriteCheckpointAsync(HttpContext context, string source, long checkpoint)
        => Answers.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("source", source);
            w.WriteNumber("checkpoint", checkpoint);
            w.WriteEndObject();
        });

    private static Task WriteOutcomeAsync(HttpContext context, ApplyOutcome outcome)
        => Answers.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("applied", outcome.Applied);
            w.WriteNumber("checkpoint", outcome.Checkpoint);
            w.WriteNumber("conflicts", outcome.Conflicts);
            w.WriteEndObject();
        });

    private async Task DescribeAsync(HttpContext context, Points.CollectionReplica replica)
        => await Answers.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("node_id", Hub.NodeId);
            w.WriteString("collection", replica.Collection);
            SyncJson.WriteShape(w, replica.Shape);
            w.WriteString("strategy", StrategyNames.Name(replica.Strategy));
            w.WriteNumber("last_sequence", replica.LastSequence);
            w.WriteEndObject();
        });

    /// <summary>
    /// SHA-256 over what the collection holds, in id order: each point's id, its vector's float32
    /// bits and its payload as canonical JSON (keys sorted at every level). Equal on two servers
    /// exactly when they hold the same points.
    /// </summary>
    private async Task<(string Hash, long Points)> ContentHashAsync(string collection, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var points = Db.GetCollection(collection);
        long count = 0;
        PointId? offset = null;
        do
        {
            var page = await points.ScrollAsync(new ScrollRequest { Limit = 1000, Offset = offset, WithPayload = PayloadSelector.All, WithVector = true }, cancellationToken);
            foreach (var p in page.Points)
            {
                count++;
                hash.AppendData(Encoding.UTF8.GetBytes(p.Id.ToString() + "\n"));
                hash.AppendData(p.Vector is { } vector ? Knowledge.Points.PointRecordCodec.VectorBytes(vector) : []);
                hash.AppendData(Encoding.UTF8.GetBytes("\n" + CanonicalJson(p.Payload) + "\n"));
            }

            offset = page.NextOffset;
        }
        while (offset is not null);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), count);
    }

    internal static string CanonicalJson(JsonElement? element)
    {
        if (element is not { } e)
        {
            return "null";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, e);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);

        static void Write(Utf8JsonWriter w, JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    w.WriteStartObject();
                    foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(p.Name);
                        Write(w, p.Value);
                    }

                    w.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    w.WriteStartArray();
                    foreach (var item in e.EnumerateArray())
                    {
                        Write(w, item);
                    }

                    w.WriteEndArray();
                    break;
                default:
                    e.WriteTo(w);
                    break;
            }
        }
    }
}
