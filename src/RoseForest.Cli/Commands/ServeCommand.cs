using System.CommandLine;
using RoseForest.Host;
using RoseForest.Mcp;

namespace RoseForest.Cli.Commands;

/// <summary><c>roseforest serve</c>: the Qdrant-compatible server over an embedded database.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 6333)." };
        var grpcPort = new Option<int?>("--grpc-port") { Description = "Port of Qdrant's gRPC API (HTTP/2; default 6334)." };
        var grpcCert = new Option<string?>("--grpc-tls-cert") { Description = "PEM certificate: serve gRPC over TLS (with --grpc-tls-key)." };
        var grpcKey = new Option<string?>("--grpc-tls-key") { Description = "PEM private key of --grpc-tls-cert." };
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1)." };
        var data = new Option<string?>("--data") { Description = "Data folder (default ./roseforest-data)." };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key on every route but the health probes." };
        var readOnlyKey = new Option<string?>("--read-only-api-key") { Description = "A key that may only read." };
        var config = new Option<string?>("--config") { Description = "A YAML or JSON settings file (keys: host, port, grpc_port, grpc_tls_cert, grpc_tls_key, data, api_key, read_only_api_key, max_request_body_bytes, max_batch_points, max_limit)." };
        var inMemory = new Option<bool>("--in-memory") { Description = "Keep everything in memory; nothing is written to disk." };
        var cluster = new Option<string?>("--cluster") { Description = "Join a cluster: the PostgreSQL connection string of its catalogue and shard logs (\"Host=...;Database=...;Username=...\"). The data folder holds this node's replicas." };
        var advertise = new Option<string?>("--cluster-advertise-url") { Description = "The URL peers reach this node at (default: the address it listens on)." };
        var knowledge = KnowledgeServeOptions.Create();
        var command = new Command("serve", "Run the server (Qdrant-compatible REST API, Qdrant's gRPC API on --grpc-port, the federated-learning coordinator under /fl/tasks, and model communication: /models, /namespaces, /mailboxes, /a2a) on embedded storage, or as a cluster node with --cluster. Settings also come from ROSEFOREST_* environment variables.")
        {
            port, grpcPort, grpcCert, grpcKey, host, data, apiKey, readOnlyKey, config, inMemory, cluster, advertise, McpCommand.Embedder,
        };
        foreach (var option in knowledge.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var options = new ServerOptions();
            if (parse.GetValue(config) is { } file)
            {
                options.ApplyFile(file);
            }

            options.ApplyEnvironment();
            options.Port = parse.GetValue(port) ?? options.Port;
            options.Host = parse.GetValue(host) ?? options.Host;
            options.GrpcPort = parse.GetValue(grpcPort) ?? options.GrpcPort;
            options.GrpcTlsCertificate = parse.GetValue(grpcCert) ?? options.GrpcTlsCertificate;
            options.GrpcTlsKey = parse.GetValue(grpcKey) ?? options.GrpcTlsKey;
            options.DataPath = parse.GetValue(data) ?? options.DataPath;
            options.ApiKey = parse.GetValue(apiKey) ?? options.ApiKey;
            options.ReadOnlyApiKey = parse.GetValue(readOnlyKey) ?? options.ReadOnlyApiKey;
            options.InMemory |= parse.GetValue(inMemory);
            options.Cluster = parse.GetValue(cluster) ?? options.Cluster;
            options.ClusterAdvertiseUrl = parse.GetValue(advertise) ?? options.ClusterAdvertiseUrl;

            // Agent memory (/memories and MCP at /mcp) and knowledge search share one embedder; it
            // loads on first use. Collections' vectors that declare "embed" reach the registry's models
            // (all-MiniLM-L6-v2 always, and hashing-N when it is the chosen embedder).
            var (embedders, embedderName) = McpCommand.CreateRegistry(parse.GetValue(McpCommand.Embedder)!);
            using var _ = embedders;
            options.EmbeddingModels = name => McpCommand.ResolveModel(embedders, name);
            var embedder = embedders.Get(embedderName);
            var memory = new MemoryServerOptions { Embedder = embedder, Memory = new() { TimeProvider = options.TimeProvider } };
            await using var server = await RoseForestServer.StartAsync(options, ct, parts: [.. RoseForestServer.DefaultParts, new MemoryPart(memory), new McpPart(), knowledge.CreatePart(parse, embedder), new RoseForest.Communication.Http.CommunicationPart(new() { Embedder = embedder, EmbedderName = embedderName })]);
            await server.WaitForShutdownAsync(CancellationToken.None);
            Console.Error.WriteLine("RoseForest: shutting down; flushing logs and taking snapshots...");
            return 0;
        });
        return command;
    }
}
