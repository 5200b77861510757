using RoseForest.Core.Filters;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// Runs a plan node: a leaf searches the collection with its filter and every enclosing one;
    /// a node with prefetches runs them first, then rescores or fuses their union (Qdrant's
    /// planned query: filters go to the leaves, the rescoring sees only the prefetched points).
    /// </summary>
    private List<Hit> Execute(PlanNode node, Filter? inherited)
    {
        var filter = Merge(inherited, node.Filter);
        if (node.Prefetches.Count == 0)
        {
            return Leaf(node, filter);
        }

        var sources = node.Prefetches.Select(p => Execute(p, filter)).ToList();
        return Rescore(node, sources);
    }

    private static Filter? Merge(Filter? a, Filter? b) =>
        a is null ? b : b is null ? a : new Filter(must: [Condition.Nested(a), Condition.Nested(b)]);

    private List<Hit> Leaf(PlanNode node, Filter? filter)
    {
        switch (node.Kind)
        {
            case PlanKind.IdOrder:
                return [.. MatchingInIdOrder(filter).Take(node.Limit).Select(slot => new Hit(slot, 1))];
            case PlanKind.Nearest:
                return Nearest(node.Space!, node.Vector!, node.Limit, node.Spec, filter);
            case PlanKind.Mmr:
                var candidates = Nearest(node.Space!, node.Vector!, node.CandidatesLimit, node.Spec, filter);
                return MaximalMarginalRelevance.Select(node.Space!, node.Vector!, candidates, node.Lambda, node.Limit);
            case PlanKind.Custom:
                return Custom(node, MatchingSlots(filter).Where(node.Space!.Has));
            case PlanKind.OrderBy:
                return OrderBy(node, MatchingSlots(filter));
            case PlanKind.Sample:
                return Sample(MatchingSlots(filter).ToList(), node.Limit);
            default:
                throw new ValidationException(node.Spec.Field.Length == 0 ? "query" : $"{node.Spec.Field}.query", $"cannot apply {node.Kind} without prefetches");
        }
    }

    private List<Hit> Rescore(PlanNode node, List<List<Hit>> sources)
    {
        var union = sources.SelectMany(s => s).Select(h => h.Slot).Distinct().ToList();
        switch (node.Kind)
        {
            case PlanKind.Nearest:
                return ScoreNearest(node.Space!, node.Vector!, union, node.Limit, node.Threshold);
            case PlanKind.Mmr:
                var candidates = ScoreNearest(node.Space!, node.Vector!, union, node.CandidatesLimit, node.Threshold);
                return MaximalMarginalRelevance.Select(node.Space!, node.Vector!, candidates, node.Lambda, node.Limit);
            case PlanKind.Custom:
                return Custom(node, union.Where(node.Space!.Has));
            case PlanKind.OrderBy:
                return OrderBy(node, union);
            case PlanKind.Sample:
                return Sample(union, node.Limit);
            case PlanKind.Fusion:
                var fusion = node.Fusion!;
                var fused = fusion.Method == FusionMethod.Rrf ? Fusion.Rrf(sources, fusion.K ?? Fusion.DefaultRrfK, fusion.Weights) : Fusion.Dbsf(sources);
                return Best(fused.Select(kv => new Hit(kv.Key, kv.Value)), node.Limit, node.Threshold);
            case PlanKind.Formula:
                var scores = sources.Select(s => s.DistinctBy(h => h.Slot).ToDictionary(h => h.Slot, h => h.Score)).ToList();
                return Best(union.Select(slot => new Hit(slot, node.Formula!.Evaluate(_table, scores, slot))), node.Limit, node.Threshold);
            default:
                throw new InvalidOperationException("a query with prefetches always has a query (checked before planning).");
        }
    }

    /// <summary>The best hits by a higher-is-better score, equal scores by lower id, threshold: not below it.</summary>
    private List<Hit> Best(IEnumerable<Hit> hits, int limit, double? threshold)
    {
        var top = new TopHits(_table, limit, higherIsBetter: true, threshold);
        foreach (var hit in hits)
        {
            top.Offer(hit);
        }

        return top.Result();
    }

    private List<Hit> Custom(PlanNode node, IEnumerable<int> slots) =>
        Best(slots.Select(slot => new Hit(slot, node.Custom!.Score(node.Space!, slot))), node.Limit, node.Threshold);

    /// <summary>Nearest scores of given candidates (a rescoring stage), in the space's order; candidates it cannot score are dropped.</summary>
    private List<Hit> ScoreNearest(QuerySpace space, QueryVector vector, IEnumerable<int> slots, int limit, double? threshold)
    {
        var top = new TopHits(_table, limit, space.HigherIsBetter, threshold);
        foreach (var slot in slots)
        {
            if (space.Has(slot) && space.NearestScore(vector, slot) is { } score)
            {
                top.Offer(new Hit(slot, score));
            }
        }

        return top.Result();
    }

    /// <summary>
    /// Order by a payload value: each value from start_from on is one hit (a point with several
    /// values appears once per value), ascending or descending, equal values by lower id. Score 1,
    /// as Qdrant reports; the value is the hit's order value.
    /// </summary>
    private List<Hit> OrderBy(PlanNode node, IEnumerable<int> slots)
    {
        var order = node.OrderBy!;
        var descending = order.Direction == OrderDirection.Desc;
        var values = new List<OrderValue>();
        var hits = new List<Hit>();
        foreach (var slot in slots)
        {
            OrderValues.Collect(node.OrderKey!, _table.PayloadAt(slot), values);
            foreach (var value in values.Distinct())
            {
                if (order.StartFrom is not { } start || (descending ? value <= start : value >= start))
                {
                    hits.Add(new Hit(slot, 1, value));
                }
            }
        }

        hits.Sort((a, b) =>
        {
            var c = a.Order!.Value.CompareTo(b.Order!.Value);
            return c != 0 ? (descending ? -c : c) : _table.IdAt(a.Slot).CompareTo(_table.IdAt(b.Slot));
        });
        return hits.Count > node.Limit ? hits[..node.Limit] : hits;
    }

    /// <summary>A uniform random sample of the slots (score 1, in random order).</summary>
    private static List<Hit> Sample(List<int> slots, int limit)
    {
        var count = Math.Min(limit, slots.Count);
        for (var i = 0; i < count; i++)
        {
            var j = Random.Shared.Next(i, slots.Count);
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }

        return [.. slots.Take(count).Select(slot => new Hit(slot, 1))];
    }

    /// <summary>Live slots whose point matches the filter, in slot order.</summary>
    private IEnumerable<int> MatchingSlots(Filter? filter)
    {
        var count = _table.SlotCount;
        for (var slot = 0; slot < count; slot++)
        {
            if (_table.IsLive(slot) && (filter is null || _table.Matches(filter, slot)))
            {
                yield return slot;
            }
        }
    }

    /// <summary>Live slots whose point matches the filter, in id order.</summary>
    private IEnumerable<int> MatchingInIdOrder(Filter? filter)
    {
        foreach (var (_, slot) in _table.SortedById())
        {
            if (filter is null || _table.Matches(filter, slot))
            {
                yield return slot;
            }
        }
    }

    /// <summary>Hits into results: ids, versions, scores, order values, and the payload and vectors asked for. Under the read lock.</summary>
    private List<ScoredPoint> Materialize(IEnumerable<Hit> hits, PayloadSelector withPayload, VectorSelector withVector)
    {
        var results = new List<ScoredPoint>();
        foreach (var hit in hits)
        {
            var (unnamed, named) = ReadVectors(hit.Slot, withVector);
            results.Add(new ScoredPoint(_table.IdAt(hit.Slot), _table.VersionAt(hit.Slot), hit.Score, unnamed, withPayload.Apply(_table.PayloadAt(hit.Slot)))
            {
                Vectors = named,
                OrderValue = hit.Order,
            });
        }

        return results;
    }
}
