using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// An add-wins observed-remove set of strings (tags). Each add makes an entry with a unique dot; a
/// remove deletes only the entries it observed, so an add concurrent with a remove survives.
/// Every mutation returns its delta, itself a set.
/// </summary>
public sealed class ObservedRemoveSet
{
    private readonly DotKernel<string, bool> _kernel;
    private readonly DotContext _context;

    /// <summary>Creates an empty set.</summary>
    public ObservedRemoveSet()
        : this(new DotKernel<string, bool>(), new DotContext())
    {
    }

    private ObservedRemoveSet(DotKernel<string, bool> kernel, DotContext context)
    {
        _kernel = kernel;
        _context = context;
    }

    /// <summary>The causal context: every dot this set has seen.</summary>
    public DotContext Context => _context;

    /// <summary>The elements, in ordinal order.</summary>
    public IReadOnlyList<string> Elements => [.. _kernel.Keys.Order(StringComparer.Ordinal)];

    /// <summary>True when the element has a surviving add.</summary>
    public bool Contains(string element) => _kernel.DotsOf(element).Any();

    /// <summary>Adds an element with a fresh dot (replacing the adds observed here) and returns the delta.</summary>
    public ObservedRemoveSet Add(string element, Dot dot, HlcTimestamp stamp)
    {
        var delta = new ObservedRemoveSet();
        foreach (var observed in _kernel.DotsOf(element))
        {
            delta._context.Add(observed);
        }

        delta._kernel.Add(new KernelEntry<string, bool>(dot, element, true, stamp));
        delta._context.Add(dot);
        Merge(delta);
        return delta;
    }

    /// <summary>Removes the adds of an element observed here and returns the delta.</summary>
    public ObservedRemoveSet Remove(string element)
    {
        var delta = new ObservedRemoveSet();
        foreach (var observed in _kernel.DotsOf(element))
        {
            delta._context.Add(observed);
        }

        Merge(delta);
        return delta;
    }

    /// <summary>Joins another state or delta into this one; returns true when anything changed.</summary>
    public bool Merge(ObservedRemoveSet other)
    {
        var changed = _kernel.Join(other._kernel, _context, other._context);
        return _context.Join(other._context) | changed;
    }

    /// <summary>A deep copy.</summary>
    public ObservedRemoveSet Clone() => new(_kernel.Clone(), _context.Clone());

    /// <summary>The canonical bytes of the whole state (entries and context).</summary>
    public byte[] CanonicalBytes()
    {
        var w = new CanonicalWriter();
        KernelCanonical.Write(w, _kernel, KernelCanonical.WriteString, KernelCanonical.WriteNothing);
        _context.WriteCanonical(w);
        return w.ToArray();
    }
}
