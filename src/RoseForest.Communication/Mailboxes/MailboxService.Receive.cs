using System.Text.Json;

namespace RoseForest.Communication.Mailboxes;

internal sealed partial class MailboxService
{
    /// <summary>
    /// Hands out up to <paramref name="max"/> visible messages of <paramref name="to"/>, leasing each
    /// for <paramref name="visibility"/>; waits up to <paramref name="wait"/> when there are none.
    /// </summary>
    public async Task<IReadOnlyList<MailMessage>> ReceiveAsync(string to, int max, TimeSpan wait, TimeSpan visibility, CancellationToken ct)
    {
        if (max < 1 || max > options.MaxReceiveBatch)
        {
            throw new ValidationException("max", $"must be between 1 and {options.MaxReceiveBatch}.");
        }

        if (wait < TimeSpan.Zero || wait > options.MaxWait)
        {
            throw new ValidationException("wait_ms", $"must be between 0 and {options.MaxWait.TotalMilliseconds}.");
        }

        if (visibility <= TimeSpan.Zero || visibility > TimeSpan.FromHours(12))
        {
            throw new ValidationException("visibility_ms", "must be between 1 ms and 12 h.");
        }

        var box = Box(to);
        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            List<MailEntry> taken = [];
            Task signal;
            DateTimeOffset wake;
            lock (box.Gate)
            {
                var now = _time.GetUtcNow();
                wake = deadline;
                HashSet<string>? blocked = null;
                foreach (var e in box.BySequence.Values)
                {
                    if (taken.Count == max)
                    {
                        break;
                    }

                    if (e.State is MailState.Acked or MailState.Acking || e.ExpiresAt <= now)
                    {
                        continue;
                    }

                    if (blocked?.Contains(e.From) == true)
                    {
                        continue;
                    }

                    if (e.State == MailState.Pending || e.LeaseUntil > now)
                    {
                        (blocked ??= new(StringComparer.Ordinal)).Add(e.From);
                        if (e.State == MailState.Ready && e.LeaseUntil < wake)
                        {
                            wake = e.LeaseUntil;
                        }

                        continue;
                    }

                    e.LeaseUntil = now + visibility;
                    e.Deliveries++;
                    taken.Add(e);
                }

                signal = box.Signal.Task;
            }

            if (taken.Count > 0)
            {
                return await ReadAsync(to, taken, ct).ConfigureAwait(false);
            }

            var remaining = wake - _time.GetUtcNow();
            if (_time.GetUtcNow() >= deadline)
            {
                return [];
            }

            if (remaining > TimeSpan.Zero)
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(remaining, _time, cancel.Token);
                await Task.WhenAny(signal, delay).ConfigureAwait(false);
                await cancel.CancelAsync().ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task<IReadOnlyList<MailMessage>> ReadAsync(string to, List<MailEntry> entries, CancellationToken ct)
    {
        var result = new List<MailMessage>(entries.Count);
        foreach (var group in entries.GroupBy(e => e.Namespace))
        {
            var collection = await CollectionAsync(group.Key, ct).ConfigureAwait(false);
            var records = await collection.GetAsync([.. group.Select(e => PointId.FromUuid(e.Id))], PayloadSelector.All, VectorSelector.None, ct).ConfigureAwait(false);
            var byId = records.ToDictionary(r => Guid.Parse(r.Id.ToString()));
            foreach (var e in group)
            {
                if (byId.TryGetValue(e.Id, out var record) && record.Payload is { } p && p.GetProperty("kind").GetString() == "message")
                {
                    result.Add(new MailMessage(e.Id, e.From, to, e.Sequence, ReadTime(p, "sent_at"), e.ExpiresAt, e.Deliveries,
                        p.TryGetProperty("body", out var body) && body.ValueKind != JsonValueKind.Null ? body.Clone() : null,
                        Optional(p, "text"), Optional(p, "idempotency_key"), Optional(p, "broadcast_id")));
                }
            }
        }

        result.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return result;
    }

    private static string? Optional(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The status and sender of a message of <paramref name="to"/>, or null when the mailbox does not hold it.</summary>
    public (MessageStatus Status, string From, long Sequence)? Status(string to, Guid id)
    {
        var box = Box(to);
        lock (box.Gate)
        {
            if (!box.ById.TryGetValue(id, out var e) || e.State == MailState.Pending)
            {
                return null;
            }

            var status = e.Canceled ? MessageStatus.Canceled
                : e.State is MailState.Acked or MailState.Acking ? MessageStatus.Acked
                : e.ExpiresAt <= _time.GetUtcNow() ? MessageStatus.Expired
                : e.Deliveries > 0 ? MessageStatus.Delivered : MessageStatus.Waiting;
            return (status, e.From, e.Sequence);
        }
    }

    /// <summary>How many messages of <paramref name="to"/> are stored and not acked (visible or leased).</summary>
    public int Pending(string to)
    {
        var box = Box(to);
        lock (box.Gate)
        {
            var now = _time.GetUtcNow();
            return box.BySequence.Values.Count(e => e.State is MailState.Ready or MailState.Pending && e.ExpiresAt > now);
        }
    }
}

/// <summary>Where a message is: waiting (never handed out), handed out and not acked, acked, or gone.</summary>
public enum MessageStatus
{
    /// <summary>In the mailbox, not handed out yet.</summary>
    Waiting,

    /// <summary>Handed out at least once, not acknowledged.</summary>
    Delivered,

    /// <summary>Acknowledged (its tombstone is kept for the retention).</summary>
    Acked,

    /// <summary>Expired unacknowledged.</summary>
    Expired,

    /// <summary>Withdrawn by its sender before it was acknowledged.</summary>
    Canceled,
}
