using System.Text.Json.Nodes;

namespace RoseForest.Communication.Mailboxes;

internal sealed partial class MailboxService
{
    /// <summary>Acknowledges messages of <paramref name="to"/>; the acks are durable before this returns.</summary>
    public async Task<IReadOnlyDictionary<Guid, AckOutcome>> AckAsync(string to, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count is 0 or > 1000)
        {
            throw new ValidationException("ids", "give 1-1000 message ids.");
        }

        var box = Box(to);
        var outcomes = new Dictionary<Guid, AckOutcome>();
        var acking = new List<MailEntry>();
        lock (box.Gate)
        {
            var now = _time.GetUtcNow();
            foreach (var id in ids.Distinct())
            {
                if (!box.ById.TryGetValue(id, out var e) || e.State == MailState.Pending)
                {
                    outcomes[id] = AckOutcome.Unknown;
                }
                else if (e.Canceled)
                {
                    outcomes[id] = AckOutcome.Canceled;
                }
                else if (e.State is MailState.Acked or MailState.Acking)
                {
                    outcomes[id] = AckOutcome.AlreadyAcked;
                }
                else if (e.ExpiresAt <= now)
                {
                    outcomes[id] = AckOutcome.Expired;
                }
                else if (e.Deliveries == 0)
                {
                    outcomes[id] = AckOutcome.NotDelivered;
                }
                else
                {
                    e.State = MailState.Acking;
                    acking.Add(e);
                    outcomes[id] = AckOutcome.Acked;
                }
            }
        }

        if (acking.Count == 0)
        {
            return outcomes;
        }

        await TombstoneAsync(to, box, acking, canceled: false, ct).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>
    /// Withdraws a message of <paramref name="to"/> that is neither acknowledged nor expired, whether
    /// or not it was handed out: durable (a tombstone marked <c>canceled_at</c>) before this returns,
    /// never delivered again, and a later ack of it answers <see cref="AckOutcome.Canceled"/>.
    /// Cancelling a cancelled message is a no-op; an acknowledged or expired one is a
    /// <see cref="ConflictException"/>; an unknown one null.
    /// </summary>
    public async Task<bool?> CancelAsync(string to, Guid id, CancellationToken ct)
    {
        var box = Box(to);
        MailEntry entry;
        lock (box.Gate)
        {
            if (!box.ById.TryGetValue(id, out entry!) || entry.State == MailState.Pending)
            {
                return null;
            }

            if (entry.Canceled)
            {
                return false;
            }

            if (entry.State is MailState.Acked or MailState.Acking)
            {
                throw new ConflictException($"message '{id}' cannot be canceled: model '{to}' acknowledged it.");
            }

            if (entry.ExpiresAt <= _time.GetUtcNow())
            {
                throw new ConflictException($"message '{id}' cannot be canceled: it expired unread.");
            }

            entry.State = MailState.Acking;
            entry.Canceled = true;
        }

        await TombstoneAsync(to, box, [entry], canceled: true, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Replaces messages by their tombstones, durably; on failure they are ready again.</summary>
    private async Task TombstoneAsync(string to, Mailbox box, List<MailEntry> entries, bool canceled, CancellationToken ct)
    {
        var retainUntil = new Dictionary<MailEntry, DateTimeOffset>();
        try
        {
            var now = _time.GetUtcNow();
            foreach (var group in entries.GroupBy(e => e.Namespace))
            {
                var points = new List<PointStruct>();
                foreach (var e in group)
                {
                    var until = now + options.AckRetention;
                    if (e.ExpiresAt > until)
                    {
                        until = e.ExpiresAt;
                    }

                    retainUntil[e] = until;
                    var tombstone = new JsonObject { ["kind"] = "tombstone", ["ns"] = e.Namespace, ["to"] = to, ["from"] = e.From, ["seq"] = e.Sequence, ["expires_at"] = until.ToString("O"), [canceled ? "canceled_at" : "acked_at"] = now.ToString("O") };
                    points.Add(new PointStruct(PointId.FromUuid(e.Id), null, Store.ToElement(tombstone)) { Vectors = new Dictionary<string, VectorData>() });
                }

                var collection = await CollectionAsync(group.Key, ct).ConfigureAwait(false);
                await collection.UpsertAsync(points, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            lock (box.Gate)
            {
                foreach (var e in entries)
                {
                    e.State = MailState.Ready;
                    e.Canceled = false;
                }
            }

            throw;
        }

        lock (box.Gate)
        {
            foreach (var e in entries)
            {
                e.State = MailState.Acked;
                e.ExpiresAt = retainUntil[e];
                ledger.Add(e.From, -e.Bytes);
            }

            box.Pulse();
        }
    }

    private async Task SweepSafelyAsync()
    {
        try
        {
            await SweepAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The next sweep tries again; nothing is lost by a failed sweep.
        }
    }

    /// <summary>Deletes expired messages and tombstones past their retention; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var doomed = new List<(Mailbox Box, MailEntry Entry)>();
        foreach (var box in _boxes.Values)
        {
            lock (box.Gate)
            {
                doomed.AddRange(box.BySequence.Values.Where(e => e.State is MailState.Ready or MailState.Acked && e.ExpiresAt <= now && e.LeaseUntil <= now).Select(e => (box, e)));
            }
        }

        foreach (var group in doomed.GroupBy(d => d.Entry.Namespace))
        {
            var collection = await CollectionAsync(group.Key, ct).ConfigureAwait(false);
            await collection.DeleteAsync(PointSelector.ById([.. group.Select(d => PointId.FromUuid(d.Entry.Id))]), ct).ConfigureAwait(false);
            foreach (var (box, entry) in group)
            {
                lock (box.Gate)
                {
                    if (entry.State == MailState.Ready)
                    {
                        ledger.Add(entry.From, -entry.Bytes);
                    }

                    box.Remove(entry);
                }
            }
        }

        return doomed.Count;
    }
}
