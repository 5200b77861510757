using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Communication;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;

namespace RoseForest.Communication.Tests;

/// <summary>Contracts and a hub over an on-disk engine with a fake clock.</summary>
internal static class Fixtures
{
    public static JsonObject Contract(string id, string ns, string geometry = "poincare", int dimension = 8, double vectorsPerSecond = 1000, double queriesPerSecond = 1000, int maxMessage = 65536, string[]? read = null, string[]? write = null, bool broadcast = true, bool queryOthers = true, string[]? capabilities = null) => new()
    {
        ["$schema"] = "https://hypersync.ai/schemas/model_contract_hvs_v1.json",
        ["contract_version"] = "1.0.0",
        ["model"] = new JsonObject { ["id"] = id, ["name"] = $"Model {id}", ["version"] = "1.0.0", ["type"] = "llm", ["capabilities"] = new JsonArray([.. (capabilities ?? ["reasoning"]).Select(c => (JsonNode)c)]) },
        ["hvs_binding"] = new JsonObject { ["hvs_id"] = "hvs-1", ["region"] = "local", ["namespace"] = ns, ["geometry"] = geometry, ["dimension"] = dimension },
        ["vector_spec"] = new JsonObject { ["input_dimension"] = 64, ["output_dimension"] = dimension, ["encoding"] = "geometric", ["encoder"] = new JsonObject { ["type"] = "mlp" } },
        ["communication_protocol"] = new JsonObject { ["message_format"] = "json", ["encoding"] = "utf-8", ["max_message_size_bytes"] = maxMessage, ["timeout_ms"] = 5000, ["retry"] = new JsonObject { ["max_attempts"] = 3, ["backoff_ms"] = new JsonArray(100, 500, 2000) } },
        ["permissions"] = new JsonObject { ["read_namespaces"] = new JsonArray([.. (read ?? ["*"]).Select(n => (JsonNode)n)]), ["write_namespaces"] = new JsonArray([.. (write ?? [ns]).Select(n => (JsonNode)n)]), ["broadcast"] = broadcast, ["query_other_models"] = queryOthers },
        ["resource_limits"] = new JsonObject { ["max_vectors_per_second"] = vectorsPerSecond, ["max_storage_mb"] = 64, ["max_queries_per_second"] = queriesPerSecond },
        ["health_check"] = new JsonObject { ["endpoint"] = "/health", ["interval_seconds"] = 30, ["timeout_seconds"] = 5 },
    };

    public static CommunicationOptions Options(TimeProvider time) => new() { Embedder = new HashingEmbeddingGenerator(64), EmbedderName = "hashing-64", TimeProvider = time, SweepInterval = TimeSpan.FromDays(1) };

    public static async Task<(RoseForestDatabase Db, CommunicationHub Hub)> OpenAsync(string path, FakeTimeProvider time)
    {
        var db = await RoseForestDatabase.OpenAsync(path, new DatabaseOptions { TimeProvider = time });
        return (db, await CommunicationHub.OpenAsync(db, Options(time)));
    }
}
