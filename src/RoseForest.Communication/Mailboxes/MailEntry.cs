namespace RoseForest.Communication.Mailboxes;

/// <summary>The in-memory state of one message (or tombstone) of a mailbox; guarded by its mailbox's lock.</summary>
internal sealed class MailEntry(Guid id, string ns, string from, long sequence, DateTimeOffset expiresAt, long bytes)
{
    public Guid Id { get; } = id;

    public string Namespace { get; } = ns;

    public string From { get; } = from;

    public long Sequence { get; } = sequence;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public long Bytes { get; } = bytes;

    public MailState State { get; set; }

    public DateTimeOffset LeaseUntil { get; set; }

    public int Deliveries { get; set; }

    /// <summary>Withdrawn by its sender (its tombstone says so): never delivered again, and its ack answers <see cref="AckOutcome.Canceled"/>.</summary>
    public bool Canceled { get; set; }

    /// <summary>Completes when a pending send is durable (or failed).</summary>
    public TaskCompletionSource? Committed { get; set; }
}

/// <summary>Where a message is in its life.</summary>
internal enum MailState
{
    /// <summary>Being written; not deliverable; blocks its sender's later messages.</summary>
    Pending,

    /// <summary>Durable; deliverable when not leased.</summary>
    Ready,

    /// <summary>Its ack is being written.</summary>
    Acking,

    /// <summary>Acknowledged; only its tombstone is left.</summary>
    Acked,
}

/// <summary>One recipient's mailbox: entries by sequence and by id, and a signal for waiting receivers.</summary>
internal sealed class Mailbox
{
    public Lock Gate { get; } = new();

    public SortedDictionary<long, MailEntry> BySequence { get; } = [];

    public Dictionary<Guid, MailEntry> ById { get; } = [];

    public TaskCompletionSource Signal { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes waiting receivers (call under <see cref="Gate"/>).</summary>
    public void Pulse()
    {
        var old = Signal;
        Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    public void Add(MailEntry entry)
    {
        BySequence[entry.Sequence] = entry;
        ById[entry.Id] = entry;
    }

    public void Remove(MailEntry entry)
    {
        BySequence.Remove(entry.Sequence);
        ById.Remove(entry.Id);
    }
}
