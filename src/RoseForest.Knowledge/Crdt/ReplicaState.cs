using System.Security.Cryptography;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// The composite CRDT of a replica: records (each a field-register map, a tag set and a vote map),
/// delete markers, and one causal context shared by all of them. It is a join-semilattice:
/// <see cref="Merge"/> is commutative, associative and idempotent. A delta is a state too, so the
/// same <see cref="Merge"/> applies a delta, a batch of deltas or a whole peer state.
/// </summary>
public sealed partial class ReplicaState
{
    private readonly SortedDictionary<string, RecordState> _records = new(StringComparer.Ordinal);
    private readonly DotKernel<string, bool> _tombstones = new();
    private readonly DotContext _context = new();

    /// <summary>The causal context: every dot this state has seen.</summary>
    public DotContext Context => _context;

    /// <summary>True when the state holds no entry and its context no dot.</summary>
    public bool IsEmpty => _records.Count == 0 && _tombstones.IsEmpty && _context.Vector.Count == 0 && _context.Cloud.Count == 0;

    /// <summary>Ids of records that hold anything (live or only votes), ordinal order.</summary>
    public IEnumerable<string> RecordIds => _records.Keys;

    /// <summary>Ids of live records (a field or a tag survives), ordinal order.</summary>
    public IEnumerable<string> LiveRecordIds => _records.Where(r => r.Value.IsAlive).Select(r => r.Key);

    /// <summary>True when the record has a surviving field or tag.</summary>
    public bool IsAlive(string recordId) => _records.TryGetValue(recordId, out var r) && r.IsAlive;

    /// <summary>True when the record is not alive and a delete marker for it is held.</summary>
    public bool IsDeleted(string recordId) => !IsAlive(recordId) && _tombstones.DotsOf(recordId).Any();

    /// <summary>Reads a field by the last-writer-wins rule: the surviving write with the largest stamp.</summary>
    public bool TryGetField(string recordId, string field, out string value)
    {
        value = string.Empty;
        if (!_records.TryGetValue(recordId, out var record) || !record.Fields.TryGetWinner(field, out var winner))
        {
            return false;
        }

        value = winner.Value;
        return true;
    }

    /// <summary>The fields of a record that hold a value, ordinal order.</summary>
    public IReadOnlyList<string> Fields(string recordId)
        => _records.TryGetValue(recordId, out var r) ? [.. r.Fields.Keys.Order(StringComparer.Ordinal)] : [];

    /// <summary>The surviving, mutually concurrent writes of a field, largest stamp first.</summary>
    public IReadOnlyList<FieldVersion> FieldVersions(string recordId, string field)
        => _records.TryGetValue(recordId, out var r)
            ? [.. r.Fields.EntriesOf(field).OrderByDescending(e => e.Stamp).Select(e => new FieldVersion(e.Value, e.Stamp, e.Dot))]
            : [];

    /// <summary>The record's tags, ordinal order.</summary>
    public IReadOnlyList<string> Tags(string recordId)
        => _records.TryGetValue(recordId, out var r) ? [.. r.Tags.Keys.Order(StringComparer.Ordinal)] : [];

    /// <summary>Each voter's latest vote on the record.</summary>
    public IReadOnlyList<SignedVote> Votes(string recordId)
        => _records.TryGetValue(recordId, out var r) ? VoteKernel.Latest(r.Votes) : [];

    /// <summary>The delete markers held, in dot order.</summary>
    public IReadOnlyList<Tombstone> Tombstones
        => [.. _tombstones.Ordered().Select(e => new Tombstone(e.Key, e.Dot, e.Stamp))];

    /// <summary>The largest HLC stamp of any entry, or null when there is none.</summary>
    public HlcTimestamp? MaxStamp()
    {
        HlcTimestamp? max = null;
        foreach (var stamp in _records.Values.SelectMany(AllStamps).Concat(_tombstones.Entries.Select(e => e.Stamp)))
        {
            if (max is null || stamp > max.Value)
            {
                max = stamp;
            }
        }

        return max;
    }

    /// <summary>Joins a state or delta into this one; returns true when an entry or a context dot was new.</summary>
    public bool Merge(ReplicaState other)
    {
        var changed = false;
        foreach (var (id, theirs) in other._records)
        {
            changed |= RecordFor(id).Join(theirs, _context, other._context);
        }

        List<string>? emptied = null;
        foreach (var (id, mine) in _records)
        {
            if (!other._records.ContainsKey(id))
            {
                changed |= mine.Join(RecordState.Empty, _context, other._context);
            }

            if (mine.IsEmpty)
            {
                (emptied ??= []).Add(id);
            }
        }

        foreach (var id in emptied ?? [])
        {
            _records.Remove(id);
        }

        changed |= _tombstones.Join(other._tombstones, _context, other._context);
        return _context.Join(other._context) | changed;
    }

    /// <summary>A deep copy.</summary>
    public ReplicaState Clone()
    {
        var copy = new ReplicaState();
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// The canonical bytes of the state: records in ordinal id order, each kernel's entries in dot
    /// order, then the delete markers; with the causal context when <paramref name="includeContext"/>.
    /// </summary>
    public byte[] CanonicalBytes(bool includeContext = true)
    {
        var w = new CanonicalWriter();
        w.WriteRaw("RFKS"u8);
        w.WriteByte(KnowledgeCanonicalForm.FormatVersion);
        w.WriteUInt32((uint)_records.Count);
        foreach (var (id, record) in _records)
        {
            w.WriteString(id);
            KernelCanonical.Write(w, record.Fields, KernelCanonical.WriteString, KernelCanonical.WriteString);
            KernelCanonical.Write(w, record.Tags, KernelCanonical.WriteString, KernelCanonical.WriteNothing);
            KernelCanonical.Write(w, record.Votes, KernelCanonical.WriteString, VoteKernel.WriteVote);
        }

        KernelCanonical.Write(w, _tombstones, KernelCanonical.WriteString, KernelCanonical.WriteNothing);
        w.WritePresence(includeContext);
        if (includeContext)
        {
            _context.WriteCanonical(w);
        }

        return w.ToArray();
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the canonical bytes without the context: two replicas with the same
    /// hash hold the same entries and markers, which is what readers can observe.
    /// </summary>
    public string ContentHash() => Hex.Lower(SHA256.HashData(CanonicalBytes(includeContext: false)));

    private static IEnumerable<HlcTimestamp> AllStamps(RecordState r)
        => r.Fields.Entries.Select(e => e.Stamp).Concat(r.Tags.Entries.Select(e => e.Stamp)).Concat(r.Votes.Entries.Select(e => e.Stamp));

    private RecordState RecordFor(string id)
    {
        if (!_records.TryGetValue(id, out var record))
        {
            record = new RecordState();
            _records[id] = record;
        }

        return record;
    }
}
