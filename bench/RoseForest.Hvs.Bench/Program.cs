// roseforest-hvs-bench: durable mailbox throughput (issue 15). Sends N messages from S senders
// to one recipient concurrently, then receives and acks them in batches, on an on-disk engine at
// sync durability (every acknowledged send and ack fsynced, group commit). The peer in the same
// run is the engine itself: the same number of point upserts and deletes, issued the same way
// straight into a collection, which is the floor the mailbox's own bookkeeping sits on.
// Usage: roseforest-hvs-bench [--messages N] [--senders S] [--batch B] [--data DIR]
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication;
using RoseForest.Communication.Access;
using RoseForest.Communication.Mailboxes;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;

var messages = Arg("--messages", 20_000);
var senders = Arg("--senders", 16);
var batch = Arg("--batch", 100);
var data = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), $"hvs-bench-{Environment.ProcessId}");
Directory.CreateDirectory(data);
try
{
    await using var db = await RoseForestDatabase.OpenAsync(data);
    await using var hub = await CommunicationHub.OpenAsync(db, new CommunicationOptions { Embedder = new HashingEmbeddingGenerator(64), EmbedderName = "hashing-64" });
    for (var s = 0; s < senders; s++)
    {
        await hub.RegisterAsync(Caller.Admin, Contract($"sender-{s}"));
    }

    await hub.RegisterAsync(Caller.Admin, Contract("receiver"));
    var body = JsonSerializer.SerializeToElement(new { task = "summarize", doc = 42, note = "a small JSON body of about a hundred bytes, stored verbatim" });

    var clock = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
    {
        var caller = Caller.Model($"sender-{s}");
        while (Interlocked.Increment(ref next) < messages)
        {
            await hub.SendAsync(caller, "receiver", new OutgoingMessage { Body = body });
        }
    })));
    var sendSeconds = clock.Elapsed.TotalSeconds;

    clock.Restart();
    var received = 0;
    var receiver = Caller.Model("receiver");
    while (received < messages)
    {
        var got = await hub.ReceiveAsync(receiver, "receiver", batch);
        if (got.Count == 0)
        {
            throw new InvalidOperationException($"only {received} of {messages} messages came back");
        }

        var outcomes = await hub.AckAsync(receiver, "receiver", [.. got.Select(m => m.Id)]);
        if (outcomes.Values.Any(o => o != AckOutcome.Acked))
        {
            throw new InvalidOperationException("an ack was not taken");
        }

        received += got.Count;
    }

    var receiveSeconds = clock.Elapsed.TotalSeconds;

    // The peer: the engine's own upserts (same concurrency) and batched deletes.
    await db.CreateCollectionAsync("peer", new CollectionOptions { Dimension = 1, Geometry = Geometry.Euclid, Hnsw = null });
    var peer = db.GetCollection("peer");
    var payload = JsonSerializer.SerializeToElement(new JsonObject { ["body"] = JsonNode.Parse(body.GetRawText()), ["to"] = "receiver", ["from"] = "sender" });
    clock.Restart();
    next = -1;
    await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < messages)
        {
            await peer.UpsertAsync([new PointStruct((ulong)i, [0f], payload)]);
        }
    })));
    var peerUpsert = clock.Elapsed.TotalSeconds;
    clock.Restart();
    for (var start = 0; start < messages; start += batch)
    {
        await peer.DeleteAsync(PointSelector.ById([.. Enumerable.Range(start, Math.Min(batch, messages - start)).Select(i => PointId.FromNumber((ulong)i))]));
    }

    var peerDelete = clock.Elapsed.TotalSeconds;
    var result = new JsonObject
    {
        ["messages"] = messages,
        ["senders"] = senders,
        ["batch"] = batch,
        ["send_per_s"] = Math.Round(messages / sendSeconds),
        ["receive_ack_per_s"] = Math.Round(messages / receiveSeconds),
        ["round_trip_per_s"] = Math.Round(messages / (sendSeconds + receiveSeconds)),
        ["engine_upsert_per_s"] = Math.Round(messages / peerUpsert),
        ["engine_delete_per_s"] = Math.Round(messages / peerDelete),
    };
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
finally
{
    if (!args.Contains("--data"))
    {
        Directory.Delete(data, recursive: true);
    }
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

static JsonObject Contract(string id) => new()
{
    ["contract_version"] = "1.0.0",
    ["model"] = new JsonObject { ["id"] = id, ["name"] = id, ["version"] = "1", ["type"] = "agent", ["capabilities"] = new JsonArray() },
    ["hvs_binding"] = new JsonObject { ["hvs_id"] = "bench", ["region"] = "local", ["namespace"] = "bench", ["geometry"] = "euclidean", ["dimension"] = 4 },
    ["vector_spec"] = new JsonObject { ["input_dimension"] = 4, ["output_dimension"] = 4, ["encoding"] = "none" },
    ["communication_protocol"] = new JsonObject { ["message_format"] = "json", ["encoding"] = "utf-8", ["max_message_size_bytes"] = 65536, ["timeout_ms"] = 5000, ["retry"] = new JsonObject { ["max_attempts"] = 1, ["backoff_ms"] = 0 } },
    ["permissions"] = new JsonObject { ["read_namespaces"] = new JsonArray("bench"), ["write_namespaces"] = new JsonArray("bench"), ["broadcast"] = false, ["query_other_models"] = false },
    ["resource_limits"] = new JsonObject { ["max_vectors_per_second"] = 1e9, ["max_storage_mb"] = 1e6, ["max_queries_per_second"] = 1e9 },
    ["health_check"] = new JsonObject { ["endpoint"] = "/health", ["interval_seconds"] = 30, ["timeout_seconds"] = 5 },
};
