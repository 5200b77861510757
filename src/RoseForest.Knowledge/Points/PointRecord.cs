using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Points;

/// <summary>
/// The replicated state of one point: a multi-value register per field (the vector, each top-level
/// payload key, the delete marker) with a per-point causal context. Each write has a dot (writer,
/// per-point sequence 1, 2, 3, ...) and an HLC stamp; a write removes the writes of its fields it
/// observed (and any delete marker), a delete removes everything it observed and leaves a marker.
/// The context is a version vector: a record is always shipped whole, so every node's dots in it
/// are contiguous. Join keeps an entry held on both sides, or on one side when the other has not
/// seen its dot; the context is the entry-wise maximum. Join is commutative, associative and
/// idempotent, so replicas that have joined the same writes hold the same record whatever the
/// order. Not thread-safe.
/// </summary>
public sealed class PointRecord
{
    private readonly List<PointEntry> _entries = [];
    private readonly SortedDictionary<string, long> _context = new(StringComparer.Ordinal);

    /// <summary>The surviving entries, in dot order.</summary>
    public IReadOnlyList<PointEntry> Entries => _entries;

    /// <summary>The version vector: for each writer, how many of its writes to this point have been seen.</summary>
    public IReadOnlyDictionary<string, long> Context => _context;

    /// <summary>True when nothing was ever written to the point here.</summary>
    public bool IsEmpty => _entries.Count == 0 && _context.Count == 0;

    /// <summary>True when the point holds concurrent versions of a field, or a delete marker beside live writes.</summary>
    public bool HasConflicts
    {
        get
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            var marker = false;
            var live = false;
            foreach (var e in _entries)
            {
                if (e.Field == PointFields.Deleted)
                {
                    marker = true;
                }
                else
                {
                    live = true;
                    if (!fields.Add(e.Field))
                    {
                        return true;
                    }
                }
            }

            return marker && live;
        }
    }

    /// <summary>The largest stamp of any entry, or null.</summary>
    public HlcTimestamp? MaxStamp => _entries.Count == 0 ? null : _entries.Max(e => e.Stamp);

    /// <summary>
    /// Builds a record from its parts (decoding a peer's copy), checking what a peer could get
    /// wrong: sequence numbers from 1, every entry's dot seen by the context and used once, the
    /// stamp a reading of the writer's own clock, values present for their field.
    /// </summary>
    public static PointRecord FromParts(IEnumerable<PointEntry> entries, IEnumerable<KeyValuePair<string, long>> context)
    {
        var record = new PointRecord();
        foreach (var (node, max) in context)
        {
            if (string.IsNullOrEmpty(node) || max < 0)
            {
                throw new KnowledgeValidationException("ctx", "writers are non-empty and counts non-negative");
            }

            if (max > 0)
            {
                record._context[node] = max;
            }
        }

        var dots = new HashSet<Dot>();
        foreach (var e in entries)
        {
            if (e.Dot.Seq < 1 || !record.Seen(e.Dot) || !dots.Add(e.Dot))
            {
                throw new KnowledgeValidationException("entries", $"dot {e.Dot} is below 1, outside the context or repeated");
            }

            if (e.Stamp.Node != e.Dot.Origin)
            {
                throw new KnowledgeValidationException("entries", $"the stamp of {e.Dot} is not a reading of its writer's clock");
            }

            var valid = e.Field switch
            {
                PointFields.Vector => e.Vector is not null && e.Json is null,
                PointFields.Deleted => e.Vector is null && e.Json is null,
                _ => PointFields.IsPayload(e.Field, out var key) && key.Length > 0 && e.Vector is null && e.Json is not null,
            };
            if (!valid || e.Version < 0)
            {
                throw new KnowledgeValidationException("entries", $"entry {e.Dot} of field '{e.Field}' has the wrong kind of value");
            }

            record._entries.Add(e);
        }

        record._entries.Sort(static (a, b) => a.Dot.CompareTo(b.Dot));
        return record;
    }

    /// <summary>True when the context has seen the dot.</summary>
    public bool Seen(Dot dot) => dot.Seq <= _context.GetValueOrDefault(dot.Origin);

    /// <summary>Joins another copy of the point into this one; true when anything changed.</summary>
    public bool Join(PointRecord other)
    {
        var changed = false;
        var theirs = new Dictionary<Dot, PointEntry>(other._entries.Count);
        foreach (var e in other._entries)
        {
            theirs[e.Dot] = e;
        }

        var mine = new HashSet<Dot>(_entries.Count);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            var dot = _entries[i].Dot;
            mine.Add(dot);
            if (!theirs.ContainsKey(dot) && other.Seen(dot))
            {
                _entries.RemoveAt(i);
                changed = true;
            }
        }

        foreach (var e in other._entries)
        {
            if (!mine.Contains(e.Dot) && !Seen(e.Dot))
            {
                _entries.Add(e);
                changed = true;
            }
        }

        foreach (var (node, max) in other._context)
        {
            if (max > _context.GetValueOrDefault(node))
            {
                _context[node] = max;
                changed = true;
            }
        }

        if (changed)
        {
            _entries.Sort(static (a, b) => a.Dot.CompareTo(b.Dot));
        }

        return changed;
    }

    /// <summary>
    /// A local write by <paramref name="node"/>: each listed field gets the value (a new entry that
    /// supersedes the field's entries seen here) or, with a null value, loses its entries; any
    /// delete marker seen here is superseded too. One stamp for the whole write.
    /// </summary>
    public void Write(string node, HlcTimestamp stamp, IReadOnlyList<KeyValuePair<string, PointValue?>> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, _) in fields)
        {
            if (!PointFields.IsValid(field) || field == PointFields.Deleted || !written.Add(field))
            {
                throw new ArgumentException($"field '{field}' cannot be written (or is written twice)", nameof(fields));
            }
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        _entries.RemoveAll(e =>
        {
            if (e.Field == PointFields.Deleted)
            {
                return true;
            }

            if (!written.Contains(e.Field))
            {
                return false;
            }

            versions[e.Field] = Math.Max(versions.GetValueOrDefault(e.Field), e.Version);
            return true;
        });

        foreach (var (field, value) in fields)
        {
            if (value is not { } v)
            {
                continue;
            }

            if ((field == PointFields.Vector) != (v.Vector is not null) || (field != PointFields.Vector && v.Json is null))
            {
                throw new ArgumentException($"field '{field}' needs a {(field == PointFields.Vector ? "vector" : "JSON value")}", nameof(fields));
            }

            _entries.Add(new PointEntry(NextDot(node), field, stamp, versions.GetValueOrDefault(field) + 1, v.Vector, v.Json));
        }

        _entries.Sort(static (a, b) => a.Dot.CompareTo(b.Dot));
    }

    /// <summary>A local delete by <paramref name="node"/>: removes every entry seen here and leaves a delete marker.</summary>
    public void Delete(string node, HlcTimestamp stamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        var version = _entries.Count == 0 ? 0 : _entries.Max(e => e.Version);
        _entries.Clear();
        _entries.Add(new PointEntry(NextDot(node), PointFields.Deleted, stamp, version + 1, null, null));
    }

    /// <summary>A deep copy (entries are immutable and shared).</summary>
    public PointRecord Clone()
    {
        var copy = new PointRecord();
        copy._entries.AddRange(_entries);
        foreach (var (node, max) in _context)
        {
            copy._context[node] = max;
        }

        return copy;
    }

    private Dot NextDot(string node)
    {
        var seq = _context.GetValueOrDefault(node) + 1;
        _context[node] = seq;
        return new Dot(node, seq);
    }
}
