using System.CommandLine;
using RoseForest.Host;
using RoseForest.Knowledge.Http;

namespace RoseForest.Cli.Commands;

/// <summary><c>serve</c>'s options for the knowledge part (the YumeiCHAIN routes and sync).</summary>
internal sealed class KnowledgeServeOptions
{
    private readonly Option<string?> _nodeId = new("--node-id") { Description = "This server's node id in sync and knowledge (default: created once and kept in <data>/knowledge/node-id)." };
    private readonly Option<string[]> _nodeKeys = new("--node-key") { Description = "KEY=NODE: a node key known without registration (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int?> _rateLimit = new("--knowledge-rate-limit") { Description = "Requests per minute per caller on the YumeiCHAIN routes (default 600; 0: no limit)." };

    public static KnowledgeServeOptions Create() => new();

    public IEnumerable<Option> All => [_nodeId, _nodeKeys, _rateLimit];

    /// <summary>The knowledge part, embedding with <paramref name="embedder"/> (serve's <c>--embedder</c>, shared with agent memory).</summary>
    public IServerPart CreatePart(ParseResult parse, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> embedder)
    {
        var options = new KnowledgeOptions { NodeId = parse.GetValue(_nodeId) };
        foreach (var pair in parse.GetValue(_nodeKeys) ?? [])
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0 || split == pair.Length - 1)
            {
                throw new CliException($"--node-key expects KEY=NODE, got '{pair}'.");
            }

            options.NodeKeys[pair[..split]] = pair[(split + 1)..];
        }

        options.Embedder = embedder;
        if (parse.GetValue(_rateLimit) is { } limit)
        {
            options.RequestsPerMinute = limit >= 0 ? limit : throw new CliException("--knowledge-rate-limit must be 0 or more.");
        }

        return new KnowledgePart(options);
    }
}
