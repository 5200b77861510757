using RoseForest.Core.Filters;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// A filter prepared against a collection's payload indexes: full-text matches bound to their
/// index's tokenizer, a per-slot test in which every condition an index answers exactly is an
/// array lookup (the rest is evaluated on the payload), and the estimate of how many points match
/// with, when known, the postings that hold them all. Built under the read lock and valid while
/// it is held (or on the writer).
/// </summary>
internal sealed class FilterPlan
{
    private FilterPlan(Filter bound, SlotPredicate predicate, Cardinality cardinality, bool indexed, SlotPredicate? restriction, string[] keys)
    {
        Bound = bound;
        Predicate = predicate;
        Cardinality = cardinality;
        IsIndexed = indexed;
        Restriction = indexed ? predicate : restriction;
        Keys = keys;
    }

    /// <summary>The filter with full-text matches bound to the text indexes' tokenizers.</summary>
    public Filter Bound { get; }

    /// <summary>The test of a live slot (liveness is the caller's).</summary>
    public SlotPredicate Predicate { get; }

    /// <summary>How many live points match, and the postings that hold them when known.</summary>
    public Cardinality Cardinality { get; }

    /// <summary>True when no part of the test parses a payload (every field condition is answered by an index).</summary>
    public bool IsIndexed { get; }

    /// <summary>
    /// A test every match passes that reads no payload: the whole <see cref="Predicate"/> when the
    /// filter is indexed, else the conjunction of the parts the indexes answer (a <c>must</c>'s
    /// indexed conditions, an indexed <c>should</c> or <c>must_not</c> group, recursively through
    /// nested filters in <c>must</c>), or null when no part is indexed. A graph walk can keep to the
    /// points it allows and test the rest of the filter only on the results.
    /// </summary>
    public SlotPredicate? Restriction { get; }

    /// <summary>The (canonical) keys of the field conditions, outside nested filters.</summary>
    public string[] Keys { get; }

    /// <summary>Prepares a filter. <paramref name="payloadTest"/> evaluates one condition on a slot's payload.</summary>
    public static FilterPlan Build(Filter filter, PayloadIndexSet indexes, long total, Func<Filter, SlotPredicate> payloadTest, Func<HasIdCondition, SlotPredicate?> idTest)
    {
        var bound = indexes.Count == 0 ? filter : filter.WithTextTokenizers(indexes.TokenizerFor);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var compiler = new Compiler(indexes, total, payloadTest, idTest, keys);
        var (predicate, cardinality, indexed) = compiler.Filter(bound);
        return new FilterPlan(bound, predicate, cardinality, indexed, indexed ? null : compiler.Restriction(bound), [.. keys]);
    }

    private sealed class Compiler(PayloadIndexSet indexes, long total, Func<Filter, SlotPredicate> payloadTest, Func<HasIdCondition, SlotPredicate?> idTest, HashSet<string> keys)
    {
        public (SlotPredicate, Cardinality, bool) Filter(Filter f)
        {
            var parts = new List<SlotPredicate>();
            var cards = new List<Cardinality>();
            var indexed = true;
            if (f.Must.Count > 0)
            {
                var (p, c, i) = Group(f.Must, all: true);
                Add(p, c, i);
            }

            if (f.Should is { } should)
            {
                var (p, c, i) = should.Count == 0 ? (ConstantPredicate.False, Cardinality.Exact(0, []), true) : Group(should, all: false);
                Add(p, c, i);
            }

            if (f.MinShould is { MinCount: > 0 } minShould)
            {
                var compiled = minShould.Conditions.Select(Condition).ToList();
                var count = minShould.MinCount;
                Add(
                    new AtLeastPredicate([.. compiled.Select(x => x.Item1)], count),
                    Cardinality.AtLeast([.. compiled.Select(x => x.Item2)], count, total),
                    compiled.All(x => x.Item3));
            }

            if (f.MustNot.Count > 0)
            {
                var (p, c, i) = Group(f.MustNot, all: false);
                Add(new NotPredicate(p), c.Not(total), i);
            }

            return (parts.Count == 1 ? parts[0] : parts.Count == 0 ? ConstantPredicate.True : new AllPredicate([.. parts]), Cardinality.All(cards, total), indexed);

            void Add(SlotPredicate p, Cardinality c, bool i)
            {
                parts.Add(p);
                cards.Add(c);
                indexed &= i;
            }
        }

        /// <summary>The conjunction of a filter's parts that read no payload (see <see cref="FilterPlan.Restriction"/>), or null.</summary>
        public SlotPredicate? Restriction(Filter f)
        {
            var parts = new List<SlotPredicate>();
            foreach (var condition in f.Must)
            {
                if (condition is FilterCondition nested)
                {
                    if (Restriction(nested.Filter) is { } inner)
                    {
                        parts.Add(inner);
                    }

                    continue;
                }

                var (p, _, i) = Condition(condition);
                if (i)
                {
                    parts.Add(p);
                }
            }

            if (f.Should is { Count: > 0 } should && Group(should, all: false) is (var sp, _, true))
            {
                parts.Add(sp);
            }

            if (f.MustNot.Count > 0 && Group(f.MustNot, all: false) is (var np, _, true))
            {
                parts.Add(new NotPredicate(np));
            }

            return parts.Count switch
            {
                0 => null,
                1 => parts[0],
                _ => new AllPredicate([.. parts]),
            };
        }

        private (SlotPredicate, Cardinality, bool) Group(IReadOnlyList<Condition> conditions, bool all)
        {
            var compiled = conditions.Select(Condition).ToList();
            var predicates = compiled.Select(x => x.Item1).ToArray();
            var cards = compiled.Select(x => x.Item2).ToList();
            var indexed = compiled.All(x => x.Item3);
            if (predicates.Length == 1)
            {
                return (predicates[0], cards[0], indexed);
            }

            return all
                ? (new AllPredicate(predicates), Cardinality.All(cards, total), indexed)
                : (new AnyPredicate(predicates), Cardinality.Any(cards, total), indexed);
        }

        private (SlotPredicate, Cardinality, bool) Condition(Condition condition)
        {
            switch (condition)
            {
                case FilterCondition nested:
                    return Filter(nested.Filter);
                case FieldCondition field:
                    keys.Add(field.Key.Canonical);
                    if (indexes.Find(field.Key) is { } index && index.TryAnswer(field, total) is { } answer)
                    {
                        return (answer.Predicate, answer.Cardinality, true);
                    }

                    break;
                case HasIdCondition hasId when idTest(hasId) is { } ids:
                    return (ids, Cardinality.Exact(((SetPredicate)ids).Slots.Count, [new SetSource(((SetPredicate)ids).Slots)]), true);
                case HasVectorCondition or SliceCondition:
                    // No payload is read: as cheap as an index lookup.
                    return (payloadTest(new Filter(must: [condition])), Cardinality.Unknown(total), true);
            }

            return (payloadTest(new Filter(must: [condition])), Cardinality.Unknown(total), false);
        }
    }
}

/// <summary>Every part holds.</summary>
internal sealed class AllPredicate(SlotPredicate[] parts) : SlotPredicate
{
    public override bool Test(int slot)
    {
        foreach (var p in parts)
        {
            if (!p.Test(slot))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Some part holds.</summary>
internal sealed class AnyPredicate(SlotPredicate[] parts) : SlotPredicate
{
    public override bool Test(int slot)
    {
        foreach (var p in parts)
        {
            if (p.Test(slot))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The part does not hold.</summary>
internal sealed class NotPredicate(SlotPredicate inner) : SlotPredicate
{
    public override bool Test(int slot) => !inner.Test(slot);
}

/// <summary>At least <c>count</c> parts hold.</summary>
internal sealed class AtLeastPredicate(SlotPredicate[] parts, int count) : SlotPredicate
{
    public override bool Test(int slot)
    {
        var hits = 0;
        foreach (var p in parts)
        {
            if (p.Test(slot) && ++hits >= count)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The slot is one of a set (has_id, resolved to slots).</summary>
internal sealed class SetPredicate(HashSet<int> slots) : SlotPredicate
{
    public HashSet<int> Slots => slots;

    public override bool Test(int slot) => slots.Contains(slot);
}
