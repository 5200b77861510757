using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace RoseForest.Host;

/// <summary>
/// Server settings. Loaded in layers: defaults, then a config file (YAML or JSON), then
/// environment variables <c>ROSEFOREST_*</c>, then explicit overrides (command-line options).
/// Keys: host, port, grpc_port, grpc_tls_cert, grpc_tls_key, data, api_key, read_only_api_key,
/// max_request_body_bytes, max_batch_points, max_limit, in_memory, cluster, cluster_advertise_url.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The address to listen on. Default 127.0.0.1 (loopback only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port. Default 6333 (Qdrant's); 0 picks a free one.</summary>
    public int Port { get; set; } = 6333;

    /// <summary>
    /// The gRPC port (Qdrant's gRPC API, HTTP/2). Default 6334 (Qdrant's); 0 picks a free one; when
    /// unset and <see cref="Port"/> is 0 (a throwaway server), a free one too.
    /// </summary>
    public int? GrpcPort { get; set; }

    /// <summary>The gRPC port in force: <see cref="GrpcPort"/>, or 6334, or 0 beside a REST port of 0.</summary>
    public int EffectiveGrpcPort => GrpcPort ?? (Port == 0 ? 0 : 6334);

    /// <summary>A PEM certificate file: when set (with <see cref="GrpcTlsKey"/>), gRPC is served over TLS instead of plaintext HTTP/2.</summary>
    public string? GrpcTlsCertificate { get; set; }

    /// <summary>The PEM private key of <see cref="GrpcTlsCertificate"/>.</summary>
    public string? GrpcTlsKey { get; set; }

    /// <summary>The data folder of the embedded database. Default ./roseforest-data.</summary>
    public string DataPath { get; set; } = "./roseforest-data";

    /// <summary>Keep everything in memory (no data folder); for tests and throwaway servers.</summary>
    public bool InMemory { get; set; }

    /// <summary>When set, every route but the health probes requires this key (header api-key or Authorization: Bearer).</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, this key allows reads only (writes get 403).</summary>
    public string? ReadOnlyApiKey { get; set; }

    /// <summary>The largest request body accepted. Default 32 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L << 20;

    /// <summary>The most points one upsert may carry. Default 10,000.</summary>
    public int MaxBatchPoints { get; set; } = 10_000;

    /// <summary>The largest limit (and limit + offset) a search or scroll may ask for. Default 10,000.</summary>
    public int MaxLimit { get; set; } = 10_000;

    /// <summary>
    /// Cluster mode: the PostgreSQL connection string of the cluster to join (null: the embedded
    /// database alone, the default). The data folder then holds this node's replicas.
    /// </summary>
    public string? Cluster { get; set; }

    /// <summary>The URL peers reach this node at in cluster mode (default: the address it listens on).</summary>
    public string? ClusterAdvertiseUrl { get; set; }

    /// <summary>The clock the engine uses (flush timers, snapshot names, change-feed waits); tests inject a fake one. Not read from configuration.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Embedding models by name for vectors that declare <c>"embed": {"model": …}</c> (see
    /// <see cref="Engine.DatabaseOptions.EmbeddingModels"/>); <c>serve</c> passes its <c>--embedder</c> registry.
    /// </summary>
    public Func<string, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>?>? EmbeddingModels { get; set; }

    /// <summary>Reads settings from a YAML or JSON file over the current values.</summary>
    public ServerOptions ApplyFile(string path)
    {
        var text = File.ReadAllText(path);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            using var doc = JsonDocument.Parse(text);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }
        else
        {
            var yaml = new YamlStream();
            using (var reader = new StringReader(text))
            {
                yaml.Load(reader);
            }

            if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode map)
            {
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode key && v is YamlScalarNode value)
                    {
                        values[key.Value!] = value.Value ?? string.Empty;
                    }
                }
            }
        }

        return Apply(values, $"config file {path}");
    }

    /// <summary>Reads ROSEFOREST_* environment variables over the current values.</summary>
    public ServerOptions ApplyEnvironment(System.Collections.IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry e in environment)
        {
            if (e.Key is string key && key.StartsWith("ROSEFOREST_", StringComparison.Ordinal) && e.Value is string value)
            {
                values[key["ROSEFOREST_".Length..]] = value;
            }
        }

        return Apply(values, "environment");
    }

    private ServerOptions Apply(Dictionary<string, string> values, string source)
    {
        foreach (var (key, value) in values)
        {
            switch (key.ToLowerInvariant())
            {
                case "host":
                    Host = value;
                    break;
                case "port":
                    Port = ParseInt(value, key, source, 0, 65535);
                    break;
                case "grpc_port":
                    GrpcPort = ParseInt(value, key, source, 0, 65535);
                    break;
                case "grpc_tls_cert":
                    GrpcTlsCertificate = value.Length == 0 ? null : value;
                    break;
                case "grpc_tls_key":
                    GrpcTlsKey = value.Length == 0 ? null : value;
                    break;
                case "data":
                    DataPath = value;
                    break;
                case "in_memory":
                    InMemory = ParseBool(value, key, source);
                    break;
                case "api_key":
                    ApiKey = value.Length == 0 ? null : value;
                    break;
                case "read_only_api_key":
                    ReadOnlyApiKey = value.Length == 0 ? null : value;
                    break;
                case "max_request_body_bytes":
                    MaxRequestBodyBytes = ParseInt(value, key, source, 1024, int.MaxValue);
                    break;
                case "max_batch_points":
                    MaxBatchPoints = ParseInt(value, key, source, 1, 1_000_000);
                    break;
                case "cluster":
                    Cluster = value.Length == 0 ? null : value;
                    break;
                case "cluster_advertise_url":
                    ClusterAdvertiseUrl = value.Length == 0 ? null : value;
                    break;
                case "max_limit":
                    MaxLimit = ParseInt(value, key, source, 1, 1_000_000);
                    break;
                default:
                    throw new ArgumentException($"{source}: unknown setting '{key}'.");
            }
        }

        return this;
    }

    private static int ParseInt(string value, string key, string source, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{source}: '{key}' must be an integer from {min} to {max}, got '{value}'.");

    private static bool ParseBool(string value, string key, string source) =>
        bool.TryParse(value, out var b) ? b : throw new ArgumentException($"{source}: '{key}' must be true or false, got '{value}'.");
}
