using System.Text;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Mailboxes;

internal sealed partial class MailboxService
{
    /// <summary>The size a message counts for limits and quotas: its body's and text's UTF-8 bytes.</summary>
    public static long SizeOf(OutgoingMessage message) =>
        (message.Body is { } b ? Encoding.UTF8.GetByteCount(b.GetRawText()) : 0) + (message.Text is { } t ? Encoding.UTF8.GetByteCount(t) : 0);

    /// <summary>Stores a message durably in <paramref name="to"/>'s mailbox (in namespace <paramref name="ns"/>); the vector must be given or embedded already.</summary>
    public async Task<SendResult> SendAsync(string from, string to, string ns, OutgoingMessage message, float[]? vector, string? broadcastId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var ttl = message.TimeToLive ?? options.DefaultMessageTtl;
        if (ttl <= TimeSpan.Zero || ttl > options.MaxMessageTtl)
        {
            throw new ValidationException("ttl_seconds", $"must be between 1 s and {options.MaxMessageTtl.TotalSeconds} s.");
        }

        var id = message.IdempotencyKey is { } key ? StableIds.For("message", to, from, key) : Guid.CreateVersion7(now);
        var bytes = SizeOf(message);
        var box = Box(to);
        MailEntry entry;
        MailEntry? existing;
        lock (box.Gate)
        {
            existing = box.ById.GetValueOrDefault(id);
            if (existing is null)
            {
                entry = new MailEntry(id, ns, from, Interlocked.Increment(ref _sequence), now + ttl, bytes)
                {
                    State = MailState.Pending,
                    Committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
                };
                box.Add(entry);
            }
            else
            {
                entry = existing;
            }
        }

        if (existing is not null)
        {
            // A retried send: wait until the first one is durable (it fails if that one failed).
            if (existing.Committed is { } pending)
            {
                await pending.Task.WaitAsync(ct).ConfigureAwait(false);
            }

            return new SendResult(existing.Id, true, existing.Sequence);
        }

        try
        {
            ledger.Reserve(from, bytes);
        }
        catch
        {
            Abandon(box, entry, null);
            throw;
        }

        try
        {
            var payload = new JsonObject
            {
                ["kind"] = "message",
                ["ns"] = ns,
                ["to"] = to,
                ["from"] = from,
                ["seq"] = entry.Sequence,
                ["sent_at"] = now.ToString("O"),
                ["expires_at"] = entry.ExpiresAt.ToString("O"),
                ["bytes"] = bytes,
                ["body"] = message.Body is { } body ? JsonNode.Parse(body.GetRawText()) : null,
                ["text"] = message.Text,
                ["idempotency_key"] = message.IdempotencyKey,
                ["broadcast_id"] = broadcastId,
            };
            var collection = await CollectionAsync(ns, ct).ConfigureAwait(false);
            var vectors = vector is null ? new Dictionary<string, VectorData>() : new Dictionary<string, VectorData> { [VectorName] = new DenseVector(vector) };
            await collection.UpsertAsync([new PointStruct(PointId.FromUuid(id), null, Store.ToElement(payload)) { Vectors = vectors }], cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ledger.Add(from, -bytes);
            Abandon(box, entry, e);
            throw;
        }

        lock (box.Gate)
        {
            entry.State = MailState.Ready;
            entry.Committed!.TrySetResult();
            entry.Committed = null;
            box.Pulse();
        }

        return new SendResult(id, false, entry.Sequence);
    }

    private static void Abandon(Mailbox box, MailEntry entry, Exception? error)
    {
        lock (box.Gate)
        {
            box.Remove(entry);
            if (error is null)
            {
                entry.Committed!.TrySetCanceled();
            }
            else
            {
                entry.Committed!.TrySetException(error);
            }

            box.Pulse();
        }
    }
}
