using RoseForest.Communication.Access;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication;

/// <summary>Which models a broadcast reaches: all that match every given field.</summary>
public sealed record BroadcastFilter(string? Capability = null, string? Namespace = null, string? Type = null);

/// <summary>A broadcast's result: the message per recipient, and the matching models skipped with why.</summary>
public sealed record BroadcastResult(string BroadcastId, IReadOnlyList<(string Model, SendResult Result)> Sent, IReadOnlyList<(string Model, string Reason)> Skipped);

public sealed partial class CommunicationHub
{
    /// <summary>Sends a message to a model's mailbox: the sender needs write access to the recipient's namespace.</summary>
    public async Task<SendResult> SendAsync(Caller caller, string to, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(message);
        var recipient = Model(to);
        Demand(caller, recipient.Contract.Namespace, Rights.Write);
        var vector = await PrepareAsync(caller, message, cancellationToken).ConfigureAwait(false);
        return await _mail.SendAsync(caller.ModelId ?? "admin", to, recipient.Contract.Namespace, message, vector, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a copy to every model matching the filter (the sender excluded) that the sender may write to; needs the contract's <c>broadcast</c> permission.</summary>
    public async Task<BroadcastResult> BroadcastAsync(Caller caller, OutgoingMessage message, BroadcastFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filter);
        if (ContractOf(caller) is { MayBroadcast: false })
        {
            throw new AccessDeniedException($"{caller} may not broadcast: its contract's permissions.broadcast is false.");
        }

        var targets = _registry.Models.Values
            .Where(m => m.Id != caller.ModelId)
            .Where(m => filter.Capability is null || m.Contract.Capabilities.Contains(filter.Capability, StringComparer.Ordinal))
            .Where(m => filter.Namespace is null || m.Contract.Namespace == filter.Namespace)
            .Where(m => filter.Type is null || m.Contract.Type == filter.Type)
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        var vector = await PrepareAsync(caller, message, cancellationToken, copies: Math.Max(1, targets.Count)).ConfigureAwait(false);
        var broadcastId = message.IdempotencyKey is { } key ? StableIds.For("broadcast", caller.ModelId ?? "admin", key).ToString() : Guid.CreateVersion7(Time.GetUtcNow()).ToString();
        var sent = new List<(string, SendResult)>();
        var skipped = new List<(string, string)>();
        foreach (var target in targets)
        {
            if (!May(caller, target.Contract.Namespace, Rights.Write))
            {
                skipped.Add((target.Id, $"no write access to namespace '{target.Contract.Namespace}'"));
                continue;
            }

            sent.Add((target.Id, await _mail.SendAsync(caller.ModelId ?? "admin", target.Id, target.Contract.Namespace, message, vector, broadcastId, cancellationToken).ConfigureAwait(false)));
        }

        return new BroadcastResult(broadcastId, sent, skipped);
    }

    /// <summary>Receives messages from a model's own mailbox (the model itself or the administrator).</summary>
    public Task<IReadOnlyList<MailMessage>> ReceiveAsync(Caller caller, string model, int max, TimeSpan? wait = null, TimeSpan? visibility = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        DemandSelfOrAdmin(caller, model, "receive the messages");
        _ = Model(model);
        return _mail.ReceiveAsync(model, max, wait ?? TimeSpan.Zero, visibility ?? _options.DefaultVisibilityTimeout, cancellationToken);
    }

    /// <summary>Acknowledges received messages (the model itself or the administrator).</summary>
    public Task<IReadOnlyDictionary<Guid, AckOutcome>> AckAsync(Caller caller, string model, IReadOnlyList<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        DemandSelfOrAdmin(caller, model, "acknowledge the messages");
        _ = Model(model);
        return _mail.AckAsync(model, ids, cancellationToken);
    }

    /// <summary>Searches a model's own unacknowledged messages by text or vector (counts as a query).</summary>
    public async Task<IReadOnlyList<(MailMessage Message, double Score)>> SearchMessagesAsync(Caller caller, string model, string? text, float[]? vector, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        DemandSelfOrAdmin(caller, model, "search the messages");
        var record = Model(model);
        ChargeQuery(caller);
        var query = vector ?? (text is { Length: > 0 } ? await EmbedAsync(text, cancellationToken).ConfigureAwait(false) : throw new ValidationException("query", "give a text or a vector."));
        await CheckDimensionAsync(query, "vector").ConfigureAwait(false);
        return await _mail.SearchAsync(model, record.Contract.Namespace, query, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status of a message, for its sender, its recipient or the administrator (the A2A door's task state).</summary>
    public MessageStatus MessageStatus(Caller caller, string to, Guid id)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _ = Model(to);
        var found = _mail.Status(to, id) ?? throw new NotFoundException($"message '{id}' is not in the mailbox of model '{to}'.");
        if (!caller.IsAdmin && caller.ModelId != to && caller.ModelId != found.From)
        {
            throw new NotFoundException($"message '{id}' is not in the mailbox of model '{to}'.");
        }

        return found.Status;
    }

    /// <summary>
    /// Withdraws a message its sender (or the administrator) sent to <paramref name="to"/>, while it is
    /// neither acknowledged nor expired (received or not): durably, it is never delivered again and its
    /// status becomes <see cref="Mailboxes.MessageStatus.Canceled"/>. Cancelling twice is harmless; an
    /// acknowledged or expired message is a <see cref="ConflictException"/> (A2A: not cancelable); the
    /// recipient cannot cancel (it acks); anyone else is told the message does not exist.
    /// </summary>
    public async Task<MessageStatus> CancelMessageAsync(Caller caller, string to, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _ = Model(to);
        var found = _mail.Status(to, id);
        if (found is null || (!caller.IsAdmin && caller.ModelId != to && caller.ModelId != found.Value.From))
        {
            throw new NotFoundException($"message '{id}' is not in the mailbox of model '{to}'.");
        }

        if (!caller.IsAdmin && caller.ModelId != found.Value.From)
        {
            throw new AccessDeniedException($"{caller} may not cancel message '{id}': only its sender may; the recipient acknowledges it.");
        }

        _ = await _mail.CancelAsync(to, id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"message '{id}' is not in the mailbox of model '{to}'.");
        return Mailboxes.MessageStatus.Canceled;
    }

    /// <summary>How many messages wait in a model's mailbox (visible or leased).</summary>
    public int PendingMessages(string model) => _mail.Pending(model);

    /// <summary>Deletes expired messages and old tombstones now (the sweeper does it every <see cref="CommunicationOptions.SweepInterval"/>).</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default) => _mail.SweepAsync(cancellationToken);

    private async Task<float[]?> PrepareAsync(Caller caller, OutgoingMessage message, CancellationToken ct, int copies = 1)
    {
        var size = MailboxService.SizeOf(message);
        if (ContractOf(caller) is { } contract && size > contract.MaxMessageBytes)
        {
            throw new PayloadTooLargeException($"the message is {size} bytes; {caller}'s contract allows {contract.MaxMessageBytes} (communication_protocol.max_message_size_bytes).");
        }

        if (message.IdempotencyKey is { } key && (key.Length is 0 or > 200 || key.Any(char.IsControl)))
        {
            throw new ValidationException("idempotency_key", "must be 1-200 characters without control characters.");
        }

        if (message.Vector is { } given)
        {
            await CheckDimensionAsync(given, "vector").ConfigureAwait(false);
            ChargeVectors(caller, copies);
            return given;
        }

        if (message.Text is { Length: > 0 } text)
        {
            ChargeVectors(caller, copies);
            return await EmbedAsync(text, ct).ConfigureAwait(false);
        }

        return null;
    }

    private async Task CheckDimensionAsync(float[] vector, string field)
    {
        var dimension = await EmbeddingDimensionAsync().ConfigureAwait(false);
        if (vector.Length != dimension)
        {
            throw new ValidationException(field, $"must have {dimension} coordinates (the mailbox embedder's dimension), got {vector.Length}.");
        }

        if (vector.Any(v => !float.IsFinite(v)))
        {
            throw new ValidationException(field, "must hold finite numbers.");
        }
    }
}
