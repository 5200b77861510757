namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// How many live points a filter (or part of it) may match: at least <see cref="Min"/>, about
/// <see cref="Exp"/>, at most <see cref="Max"/> (Qdrant's <c>CardinalityEstimation</c>), and, when
/// known, <see cref="Primary"/>: index postings whose union holds every match, so a small result
/// can be found without scanning the collection. The combination rules are Qdrant's
/// (lib/segment/src/index/query_estimator.rs): conditions are assumed independent for the
/// expectation, and the bounds are the worst and best cases.
/// </summary>
internal readonly record struct Cardinality(long Min, long Exp, long Max, SlotSource[]? Primary = null)
{
    /// <summary>Nothing known: anywhere from none to all, half expected.</summary>
    public static Cardinality Unknown(long total) => new(0, total / 2, total);

    /// <summary>Exactly <paramref name="count"/>.</summary>
    public static Cardinality Exact(long count, SlotSource[]? primary = null) => new(count, count, count, primary);

    /// <summary>All of <paramref name="parts"/> hold (must): the intersection.</summary>
    public static Cardinality All(IReadOnlyList<Cardinality> parts, long total)
    {
        if (parts.Count == 0)
        {
            return Exact(total);
        }

        long min = total;
        long max = total;
        var probability = 1.0;
        SlotSource[]? primary = null;
        long primaryExp = long.MaxValue;
        foreach (var p in parts)
        {
            min = Math.Max(0, min + p.Min - total);
            max = Math.Min(max, p.Max);
            probability *= total == 0 ? 0 : (double)p.Exp / total;
            if (p.Primary is not null && p.Exp < primaryExp)
            {
                primary = p.Primary;
                primaryExp = p.Exp;
            }
        }

        return Bounded(min, (long)Math.Round(probability * total), max, primary);
    }

    /// <summary>At least one of <paramref name="parts"/> holds (should): the union.</summary>
    public static Cardinality Any(IReadOnlyList<Cardinality> parts, long total)
    {
        long min = 0;
        long max = 0;
        var none = 1.0;
        var primary = new List<SlotSource>();
        foreach (var p in parts)
        {
            min = Math.Max(min, p.Min);
            max = Math.Min(total, max + p.Max);
            none *= total == 0 ? 1 : 1 - ((double)p.Exp / total);
            if (p.Primary is null)
            {
                primary = null;
            }
            else
            {
                primary?.AddRange(p.Primary);
            }
        }

        return Bounded(min, (long)Math.Round((1 - none) * total), max, primary?.ToArray());
    }

    /// <summary>
    /// At least <paramref name="count"/> of <paramref name="parts"/> hold: the union of the
    /// intersections of every <paramref name="count"/> of them (past 10 conditions the
    /// combinations are not enumerated and the estimate is unknown).
    /// </summary>
    public static Cardinality AtLeast(IReadOnlyList<Cardinality> parts, int count, long total)
    {
        if (count > parts.Count)
        {
            return Exact(0);
        }

        if (count <= 0)
        {
            return Exact(total);
        }

        if (parts.Count > 10)
        {
            return Unknown(total);
        }

        var intersections = new List<Cardinality>();
        var chosen = new List<Cardinality>();
        Choose(0);
        return Any(intersections, total);

        void Choose(int from)
        {
            if (chosen.Count == count)
            {
                intersections.Add(All(chosen, total));
                return;
            }

            for (var i = from; i < parts.Count; i++)
            {
                chosen.Add(parts[i]);
                Choose(i + 1);
                chosen.RemoveAt(chosen.Count - 1);
            }
        }
    }

    /// <summary>The complement (must_not): no postings can list what a condition does not match.</summary>
    public Cardinality Not(long total) => new(Math.Max(0, total - Max), Math.Max(0, total - Exp), Math.Max(0, total - Min));

    private static Cardinality Bounded(long min, long exp, long max, SlotSource[]? primary) =>
        new(min, Math.Clamp(exp, min, Math.Max(min, max)), Math.Max(min, max), primary);
}

/// <summary>Slots an index can list for a condition (a posting, or several), possibly with repeats across sources.</summary>
internal abstract class SlotSource
{
    /// <summary>How many slots <see cref="AddTo"/> adds (an upper bound on the matches).</summary>
    public abstract long Count { get; }

    /// <summary>Appends the slots.</summary>
    public abstract void AddTo(List<int> slots);

    /// <summary>Appends up to <paramref name="count"/> of the slots.</summary>
    public abstract void AddFirst(List<int> slots, int count);
}

/// <summary>A fixed set of slots.</summary>
internal sealed class SetSource(IReadOnlyCollection<int> slots) : SlotSource
{
    public override long Count => slots.Count;

    public override void AddTo(List<int> list) => list.AddRange(slots);

    public override void AddFirst(List<int> list, int count)
    {
        foreach (var slot in slots)
        {
            if (count-- <= 0)
            {
                break;
            }

            list.Add(slot);
        }
    }
}
