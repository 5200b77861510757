using Microsoft.Extensions.AI;

namespace RoseForest.Communication;

/// <summary>Settings of model communication.</summary>
public sealed class CommunicationOptions
{
    /// <summary>Embeds message text, states and rebuilt documents. Required.</summary>
    public required IEmbeddingGenerator<string, Embedding<float>> Embedder { get; init; }

    /// <summary>The embedder's name, part of rebuilt documents' ids (default: the generator's metadata, else "embedder").</summary>
    public string? EmbedderName { get; init; }

    /// <summary>The embedder's version, part of rebuilt documents' ids (default "1").</summary>
    public string EmbedderVersion { get; init; } = "1";

    /// <summary>The clock of TTLs, visibility timeouts, tombstone retention and rate limits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a message lives unacknowledged when the sender names no TTL (7 days).</summary>
    public TimeSpan DefaultMessageTtl { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The longest TTL a sender may ask for (30 days).</summary>
    public TimeSpan MaxMessageTtl { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long a received message stays invisible unless the receiver names one (30 s).</summary>
    public TimeSpan DefaultVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an acknowledged message's tombstone is kept, so a duplicate ack or a retried send is recognized (24 h, at least the message's TTL).</summary>
    public TimeSpan AckRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often expired messages and old tombstones are deleted (1 min).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most messages one receive returns (256).</summary>
    public int MaxReceiveBatch { get; init; } = 256;

    /// <summary>The longest long-poll wait (60 s).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The durability of the communication collections (sync: every acknowledged write is fsynced).</summary>
    public Durability Durability { get; init; } = Durability.Sync;
}
