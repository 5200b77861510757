using Microsoft.Extensions.AI;

namespace RoseForest.Communication.Http;

/// <summary>Settings of the communication part.</summary>
public sealed class CommunicationServerOptions
{
    /// <summary>Embeds message text, states and documents.</summary>
    public required IEmbeddingGenerator<string, Embedding<float>> Embedder { get; init; }

    /// <summary>The embedder's name (part of rebuilt documents' ids).</summary>
    public string? EmbedderName { get; init; }

    /// <summary>Changes the hub's options before it opens (tests shorten the sweep interval, for instance).</summary>
    public Func<CommunicationOptions, CommunicationOptions>? Configure { get; init; }
}
