using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// Votes on one package: voter to that voter's latest signed vote, "latest" by the vote's own HLC
/// stamp. Casting a vote replaces the voter's votes observed here; a vote cast concurrently
/// elsewhere survives beside it until a later cast observes both, and reads pick the larger stamp.
/// A vote older than one already held for the voter changes nothing. Signatures are checked by
/// the caller before casting (see <see cref="KnowledgeSigner.VerifyVote"/>).
/// </summary>
public sealed class VoteMap
{
    private readonly DotKernel<string, SignedVote> _kernel;
    private readonly DotContext _context;

    /// <summary>Creates an empty vote map.</summary>
    public VoteMap()
        : this(new DotKernel<string, SignedVote>(), new DotContext())
    {
    }

    private VoteMap(DotKernel<string, SignedVote> kernel, DotContext context)
    {
        _kernel = kernel;
        _context = context;
    }

    /// <summary>The causal context: every dot this map has seen.</summary>
    public DotContext Context => _context;

    /// <summary>Each voter's latest vote, by voter id (ordinal).</summary>
    public IReadOnlyList<SignedVote> Latest => VoteKernel.Latest(_kernel);

    /// <summary>Casts a vote with a fresh dot and returns the delta (empty when an equal or later vote of the voter is held).</summary>
    public VoteMap Cast(SignedVote vote, Dot dot)
    {
        var delta = new VoteMap();
        if (VoteKernel.TryPrepareCast(_kernel, vote, dot, delta._kernel, delta._context))
        {
            Merge(delta);
        }

        return delta;
    }

    /// <summary>Joins another state or delta into this one; returns true when anything changed.</summary>
    public bool Merge(VoteMap other)
    {
        var changed = _kernel.Join(other._kernel, _context, other._context);
        return _context.Join(other._context) | changed;
    }

    /// <summary>A deep copy.</summary>
    public VoteMap Clone() => new(_kernel.Clone(), _context.Clone());

    /// <summary>The canonical bytes of the whole state (entries and context).</summary>
    public byte[] CanonicalBytes()
    {
        var w = new CanonicalWriter();
        KernelCanonical.Write(w, _kernel, KernelCanonical.WriteString, VoteKernel.WriteVote);
        _context.WriteCanonical(w);
        return w.ToArray();
    }
}
