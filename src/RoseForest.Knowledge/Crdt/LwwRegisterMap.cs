using System.Security.Cryptography;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// A map of last-writer-wins registers, one per field of a point or record, state-based with
/// deltas. A write removes the entries it observed for its field and adds one entry stamped with
/// the writer's HLC reading and its dot; entries written concurrently survive side by side, and
/// reading a field returns the entry with the largest stamp (physical, logical, then node id).
/// Every mutation returns its delta, itself a map: <c>Merge(state, delta)</c> applies it anywhere.
/// </summary>
public sealed class LwwRegisterMap
{
    private readonly DotKernel<string, string> _kernel;
    private readonly DotContext _context;

    /// <summary>Creates an empty map.</summary>
    public LwwRegisterMap()
        : this(new DotKernel<string, string>(), new DotContext())
    {
    }

    private LwwRegisterMap(DotKernel<string, string> kernel, DotContext context)
    {
        _kernel = kernel;
        _context = context;
    }

    /// <summary>The causal context: every dot this map has seen.</summary>
    public DotContext Context => _context;

    /// <summary>Fields that hold a value.</summary>
    public IEnumerable<string> Fields => _kernel.Keys;

    /// <summary>Reads a field: the value with the largest stamp among the surviving writes.</summary>
    public bool TryGet(string field, out string value)
    {
        var found = _kernel.TryGetWinner(field, out var winner);
        value = found ? winner.Value : string.Empty;
        return found;
    }

    /// <summary>The surviving (mutually concurrent) writes of a field, largest stamp first.</summary>
    public IReadOnlyList<(string Value, HlcTimestamp Stamp)> Versions(string field)
        => [.. _kernel.EntriesOf(field).OrderByDescending(e => e.Stamp).Select(e => (e.Value, e.Stamp))];

    /// <summary>Writes a field and returns the delta. The dot must be new (its origin's next sequence number).</summary>
    public LwwRegisterMap Set(string field, string value, Dot dot, HlcTimestamp stamp)
    {
        var delta = new LwwRegisterMap();
        foreach (var observed in _kernel.DotsOf(field))
        {
            delta._context.Add(observed);
        }

        delta._kernel.Add(new KernelEntry<string, string>(dot, field, value, stamp));
        delta._context.Add(dot);
        Merge(delta);
        return delta;
    }

    /// <summary>Removes a field (the writes observed here; concurrent writes survive) and returns the delta.</summary>
    public LwwRegisterMap Remove(string field)
    {
        var delta = new LwwRegisterMap();
        foreach (var observed in _kernel.DotsOf(field))
        {
            delta._context.Add(observed);
        }

        Merge(delta);
        return delta;
    }

    /// <summary>Joins another state or delta into this one; returns true when anything changed.</summary>
    public bool Merge(LwwRegisterMap other)
    {
        var changed = _kernel.Join(other._kernel, _context, other._context);
        return _context.Join(other._context) | changed;
    }

    /// <summary>A deep copy.</summary>
    public LwwRegisterMap Clone() => new(_kernel.Clone(), _context.Clone());

    /// <summary>The canonical bytes of the whole state (entries and context).</summary>
    public byte[] CanonicalBytes()
    {
        var w = new CanonicalWriter();
        KernelCanonical.Write(w, _kernel, KernelCanonical.WriteString, KernelCanonical.WriteString);
        _context.WriteCanonical(w);
        return w.ToArray();
    }

    /// <summary>SHA-256 of <see cref="CanonicalBytes"/>, lowercase hex.</summary>
    public string ContentHash() => Hex.Lower(SHA256.HashData(CanonicalBytes()));
}
