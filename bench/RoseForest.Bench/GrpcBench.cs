using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using RoseForest.Datasets;
using RoseForest.Engine;
using RoseForest.Host;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Bench;

/// <summary>
/// Issue 13's numbers: the same upserts (batches of 100 Fashion-MNIST vectors, 784-d) and k=10
/// queries through the three doors with N requests in flight: Qdrant's gRPC API driven by
/// Qdrant.Client 1.20 (spread over <c>channels</c> clients, each one HTTP/2 connection), the REST
/// API (N HTTP/1.1 connections, bodies serialized before the clock, answers not parsed) and the
/// engine in-process (N tasks). The gRPC and REST upserts fill two collections of one server;
/// the queries of every door then run against the same collection, twice in turn (the first
/// round warms the code of every path), and the second round is reported. The
/// <c>grpc_raw_query</c> row sends the same queries as pre-serialized protobuf through a bare
/// channel without parsing the answers, as the REST client does, so it is the server's share.
/// </summary>
internal static class GrpcBench
{
    private static readonly global::Grpc.Core.Marshaller<byte[]> Bytes = global::Grpc.Core.Marshallers.Create(b => b, b => b);

    public static async Task<int> RunAsync(string datasetDir, int connections, int queries, int channels, int points, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        Console.WriteLine($"{connections} requests in flight; gRPC over {channels} QdrantClient(s), each its own HTTP/2 connection");
        var train = FashionMnist.Train(datasetDir).Take(points).ToArray();
        var test = FashionMnist.Test(datasetDir);
        var batches = train.Chunk(100).Select((chunk, b) => chunk.Select((v, i) => new PointStruct((ulong)((b * 100) + i), v)).ToArray()).ToArray();
        var root = Path.Combine(Path.GetTempPath(), "roseforest-grpc-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object>();
        var rates = new Dictionary<string, double>();
        try
        {
            await using (var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, GrpcPort = 0, DataPath = Path.Combine(root, "server") }, ct, l => l.SetMinimumLevel(LogLevel.Warning)))
            {
                var address = server.GrpcAddress!;
                var clients = Enumerable.Range(0, channels).Select(_ => new QdrantClient(address.Host, address.Port, https: false)).ToArray();
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
                using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(address, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
                var invoker = channel.CreateCallInvoker();

                await clients[0].CreateCollectionAsync("fm", new G.VectorParams { Size = 784, Distance = G.Distance.Euclid }, cancellationToken: ct);
                var grpcBatches = batches.Select(b => (IReadOnlyList<G.PointStruct>)[.. b.Select(p => new G.PointStruct { Id = p.Id.Number, Vectors = p.Vector! })]).ToArray();
                var upsert = await HttpBench.RunConcurrentAsync(grpcBatches.Length, connections, i => clients[i % channels].UpsertAsync("fm", grpcBatches[i], cancellationToken: ct));
                HttpBench.Report(results, rates, "grpc_upsert", upsert, train.Length, "points");

                await HttpBench.SendAsync(http, HttpMethod.Put, "collections/fm_rest", Encoding.UTF8.GetBytes("""{"vectors":{"size":784,"distance":"Euclid"}}"""), ct);
                var upsertBodies = batches.Select(HttpBench.UpsertBody).ToArray();
                upsert = await HttpBench.RunConcurrentAsync(upsertBodies.Length, connections, i => HttpBench.SendAsync(http, HttpMethod.Put, "collections/fm_rest/points?wait=true", upsertBodies[i], ct));
                HttpBench.Report(results, rates, "rest_upsert", upsert, train.Length, "points");

                var queryBodies = Enumerable.Range(0, queries).Select(i => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = test[i % test.Length], limit = 10 }))).ToArray();
                var rawBodies = Enumerable.Range(0, queries).Select(i => new G.QueryPoints { CollectionName = "fm", Query = test[i % test.Length], Limit = 10 }.ToByteArray()).ToArray();
                var raw = new global::Grpc.Core.Method<byte[], byte[]>(global::Grpc.Core.MethodType.Unary, "qdrant.Points", "Query", Bytes, Bytes);
                for (var round = 1; round <= 2; round++)
                {
                    var last = round == 2;
                    var query = await HttpBench.RunConcurrentAsync(queries, connections, i => clients[i % channels].QueryAsync("fm", test[i % test.Length], limit: 10, cancellationToken: ct));
                    if (last)
                    {
                        HttpBench.Report(results, rates, "grpc_query", query, queries, "queries");
                    }

                    query = await HttpBench.RunConcurrentAsync(queries, connections, i => invoker.AsyncUnaryCall(raw, null, default, rawBodies[i]).ResponseAsync);
                    if (last)
                    {
                        HttpBench.Report(results, rates, "grpc_raw_query", query, queries, "queries");
                    }

                    query = await HttpBench.RunConcurrentAsync(queries, connections, i => HttpBench.SendAsync(http, HttpMethod.Post, "collections/fm/points/query", queryBodies[i], ct));
                    if (last)
                    {
                        HttpBench.Report(results, rates, "rest_query", query, queries, "queries");
                    }
                }

                foreach (var c in clients)
                {
                    c.Dispose();
                }
            }

            await using (var db = await RoseForestDatabase.OpenAsync(Path.Combine(root, "embedded"), cancellationToken: ct))
            {
                var col = await db.CreateCollectionAsync("fm", new CollectionOptions { Dimension = 784, Geometry = Geometry.Euclid }, ct);
                var upsert = await HttpBench.RunConcurrentAsync(batches.Length, connections, i => col.UpsertAsync(batches[i], cancellationToken: ct));
                HttpBench.Report(results, rates, "inprocess_upsert", upsert, train.Length, "points");
                var request = (int i) => new QueryRequest { Vector = test[i % test.Length], Limit = 10 };
                await HttpBench.RunConcurrentAsync(queries, connections, i => col.QueryAsync(request(i), ct).AsTask());
                var query = await HttpBench.RunConcurrentAsync(queries, connections, i => col.QueryAsync(request(i), ct).AsTask());
                HttpBench.Report(results, rates, "inprocess_query", query, queries, "queries");
            }

            Console.WriteLine($"gRPC / in-process: upsert {rates["grpc_upsert"] / rates["inprocess_upsert"]:F2}x, query {rates["grpc_query"] / rates["inprocess_query"]:F2}x (bare channel {rates["grpc_raw_query"] / rates["inprocess_query"]:F2}x)");
            Console.WriteLine($"gRPC / REST:       upsert {rates["grpc_upsert"] / rates["rest_upsert"]:F2}x, query {rates["grpc_query"] / rates["rest_query"]:F2}x (bare channel {rates["grpc_raw_query"] / rates["rest_query"]:F2}x)");
            results["connections"] = connections;
            results["grpc_channels"] = channels;
            results["points"] = train.Length;
            results["machine"] = MachineInfo.Describe();
            if (jsonPath is not null)
            {
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
