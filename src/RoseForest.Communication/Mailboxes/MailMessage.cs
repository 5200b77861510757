using System.Text.Json;

namespace RoseForest.Communication.Mailboxes;

/// <summary>A message as a receiver sees it.</summary>
/// <param name="Id">The message id (stable for a send with an idempotency key).</param>
/// <param name="From">The sender's model id ("admin" for the administrator).</param>
/// <param name="To">The recipient's model id.</param>
/// <param name="Sequence">The mailbox-wide sequence number; a sender's messages are numbered in the order they were accepted.</param>
/// <param name="SentAt">When the server accepted it.</param>
/// <param name="ExpiresAt">When it expires unacknowledged.</param>
/// <param name="Deliveries">How many times it has been handed out (this delivery included) since the server started.</param>
/// <param name="Body">The body exactly as sent.</param>
/// <param name="Text">The text it carried, if any (what was embedded).</param>
/// <param name="IdempotencyKey">The sender's idempotency key, if any.</param>
/// <param name="BroadcastId">The broadcast it belongs to, if any.</param>
public sealed record MailMessage(Guid Id, string From, string To, long Sequence, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, int Deliveries, JsonElement? Body, string? Text, string? IdempotencyKey, string? BroadcastId);

/// <summary>What to send.</summary>
public sealed record OutgoingMessage
{
    /// <summary>The body, any JSON value, stored as sent.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>Text to embed (and keep) for <c>search_messages</c>.</summary>
    public string? Text { get; init; }

    /// <summary>A vector of the mailbox's dimension, instead of embedding <see cref="Text"/>.</summary>
    public float[]? Vector { get; init; }

    /// <summary>How long it lives unacknowledged (default <see cref="CommunicationOptions.DefaultMessageTtl"/>).</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>A key unique per sender and recipient: a retried send with it does not duplicate the message.</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>The result of a send: the message id, whether it was a retry of an earlier send, and its sequence number.</summary>
public sealed record SendResult(Guid Id, bool Duplicate, long Sequence);

/// <summary>The outcome of acknowledging one id.</summary>
public enum AckOutcome
{
    /// <summary>Acknowledged now: durably removed; it will not be delivered again. Exactly one ack of a message gets this.</summary>
    Acked,

    /// <summary>Acknowledged before (its tombstone is kept for <see cref="CommunicationOptions.AckRetention"/>).</summary>
    AlreadyAcked,

    /// <summary>Not in the mailbox: never sent, or acknowledged longer ago than the retention.</summary>
    Unknown,

    /// <summary>Never handed out yet: receive it first.</summary>
    NotDelivered,

    /// <summary>Expired before the ack.</summary>
    Expired,

    /// <summary>Withdrawn by its sender before the ack (A2A's task cancel): it will not be delivered again.</summary>
    Canceled,
}
