using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RoseForest.Client;
using RoseForest.Communication;
using RoseForest.Communication.Access;
using RoseForest.Communication.Http.Mcp;
using RoseForest.Embeddings.Registry;
using RoseForest.Engine;
using RoseForest.Mcp;
using RoseForest.Memory;

namespace RoseForest.Cli.Commands;

/// <summary>
/// <c>roseforest mcp</c>: the MCP server on stdio for an agent runtime to start. Embedded over a
/// data folder (<c>--data</c>) or against a running server (<c>--url</c>); protocol on stdout, logs
/// on stderr only. Besides the memory tools it serves the mailbox tools: embedded, as the
/// administrator of the folder, or as the model whose key <c>--model-key</c> (or
/// <c>$ROSEFOREST_MODEL_KEY</c>) gives; with <c>--url</c>, forwarded to the server's mailbox routes
/// with that key (else <c>--api-key</c>), so the server decides.
/// </summary>
internal static class McpCommand
{
    /// <summary>The environment variable holding the model key the stdio server acts as.</summary>
    public const string ModelKeyVariable = "ROSEFOREST_MODEL_KEY";

    public static readonly Option<string> Embedder = new("--embedder")
    {
        Description = "The embedding model: all-minilm-l6-v2 (default; in process, offline) or hashing-N (a model-free hashing embedder of N dimensions, for tests).",
        DefaultValueFactory = _ => EmbedderRegistry.DefaultName,
    };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The embedded database folder (default ./roseforest-data).", DefaultValueFactory = _ => "./roseforest-data" };
        var url = new Option<string?>("--url") { Description = "Use the memories of a running RoseForest server at this URL instead of a folder." };
        var apiKey = new Option<string?>("--api-key") { Description = "The server's API key (with --url)." };
        var documents = new Option<string>("--collection") { Description = "The collection qdrant-store and qdrant-find use when a call names none (default documents).", DefaultValueFactory = _ => DocumentStore.DefaultCollectionName };
        var userId = new Option<string?>("--user-id") { Description = "Confine every call to this user_id." };
        var agentId = new Option<string?>("--agent-id") { Description = "Confine every call to this agent_id." };
        var runId = new Option<string?>("--run-id") { Description = "Confine every call to this run_id." };
        var appId = new Option<string?>("--app-id") { Description = "Confine every call to this app_id." };
        var verbose = new Option<bool>("--verbose") { Description = "Log at debug level (to stderr)." };
        var modelKey = new Option<string?>("--model-key")
        {
            Description = "Act as the registered model holding this key in the mailbox tools (default: $ROSEFOREST_MODEL_KEY; without either, the administrator of the data folder, or whatever --api-key is with --url).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ModelKeyVariable) is { Length: > 0 } key ? key : null,
        };
        var command = new Command("mcp", "Run the MCP server (agent memory and model mailbox tools) on stdin/stdout. Logs go to stderr.")
        {
            data, url, apiKey, Embedder, documents, userId, agentId, runId, appId, modelKey, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var boundary = MemoryScope.Of(parse.GetValue(userId), parse.GetValue(agentId), parse.GetValue(runId), parse.GetValue(appId));
            using var logging = LoggerFactory.Create(b =>
            {
                b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                b.SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning);
            });
            var (registry, embedderName) = CreateRegistry(parse.GetValue(Embedder)!);
            using var _ = registry;
            var embedder = registry.Get(embedderName);
            await using var database = await CliTarget.OpenAsync(parse.GetValue(url), parse.GetValue(apiKey), parse.GetValue(data)!, ct);
            IMemoryStore memories = parse.GetValue(url) is { } address
                ? new MemoryClient(new Uri(address.EndsWith('/') ? address : address + "/"), parse.GetValue(apiKey))
                : new MemoryStore(database, embedder, new MemoryOptions { TimeProvider = CliTarget.Time, LoggerFactory = logging });
            await using (memories)
            {
                var documentStore = new DocumentStore(database, embedder, parse.GetValue(documents)!);
                var context = new ToolContext(memories, documentStore, boundary.IsEmpty ? null : boundary.Validate());
                if (parse.GetValue(url) is { } remote)
                {
                    // The server behind --url decides what the key may do: a model's key acts as that model.
                    using var http = new HttpClient { BaseAddress = new Uri(remote.EndsWith('/') ? remote : remote + "/"), Timeout = TimeSpan.FromMinutes(2) };
                    await McpStdio.RunAsync(context, logging, ct, CommunicationMcp.RemoteTools(http, parse.GetValue(modelKey) ?? parse.GetValue(apiKey)));
                }
                else
                {
                    await using var hub = await CommunicationHub.OpenAsync(database, new CommunicationOptions { Embedder = embedder, EmbedderName = embedderName, TimeProvider = CliTarget.Time }, ct);
                    var caller = parse.GetValue(modelKey) is { } key
                        ? hub.Identify(key) ?? throw new CliException("--model-key (or $" + ModelKeyVariable + ") is no registered model's key in this data folder.")
                        : Caller.Admin;
                    await McpStdio.RunAsync(context, logging, ct, CommunicationMcp.Tools(hub, caller));
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The registry's embedder for a model name (aliases minilm and hashing included), or null.</summary>
    public static Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? ResolveModel(EmbedderRegistry registry, string name)
    {
        var canonical = CanonicalName(name.ToLowerInvariant());
        return registry.Contains(canonical) ? registry.Get(canonical) : null;
    }

    private static string CanonicalName(string name) => name switch
    {
        "minilm" or "sentence-transformers/all-minilm-l6-v2" => EmbedderRegistry.DefaultName,
        "hashing" => "hashing-256",
        _ => name,
    };

    /// <summary>
    /// A registry holding the named embedder: MiniLM (<c>all-minilm-l6-v2</c>, also <c>minilm</c>),
    /// or hashing-N (<c>hashing</c> alone: 256 dimensions); and the registry name of that embedder.
    /// </summary>
    public static (EmbedderRegistry Registry, string Name) CreateRegistry(string name)
    {
        name = CanonicalName(name);
        var registry = EmbedderRegistry.CreateDefault();
        if (name.StartsWith("hashing-", StringComparison.Ordinal))
        {
            var dimensions = int.TryParse(name["hashing-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 8 and <= 4096
                ? d
                : throw new CliException($"--embedder {name}: hashing-N needs N between 8 and 4096.");
            registry.RegisterHashing(dimensions);
        }
        else if (name != EmbedderRegistry.DefaultName)
        {
            registry.Dispose();
            throw new CliException($"--embedder must be {EmbedderRegistry.DefaultName} or hashing-N, got '{name}'.");
        }

        return (registry, name);
    }
}
