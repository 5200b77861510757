using RoseForest.Core.Payloads;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>Binds a checked query tree to this collection's spaces: the vector named by <c>using</c>, inputs prepared, formulas compiled. Under the read lock.</summary>
    private PlanNode Bind(QuerySpec spec, InputVectors vectors)
    {
        var prefetches = spec.Prefetches.Select(p => Bind(p, vectors)).ToList();
        var field = spec.Field.Length == 0 ? "query" : $"{spec.Field}.query";
        var usingField = spec.Field.Length == 0 ? "using" : $"{spec.Field}.using";
        VectorData Input(VectorInput input, string inputField) =>
            input.Vector is DocumentVector doc ? vectors.Documents![doc]
            : input.Vector ?? vectors[(spec.LookupCollection(Name), spec.LookupVector, input.Id!.Value)];

        switch (spec.Query)
        {
            case null:
                return new PlanNode { Kind = PlanKind.IdOrder, Spec = spec, Prefetches = prefetches };
            case NearestQuery nearest:
            {
                var space = QuerySpace.For(_table, spec.Using, usingField);
                var vector = space.Bind(Adapt(space, space.Preprocess(Input(nearest.Vector, field), $"{field}.nearest"), vectors.AdapterTenant), $"{field}.nearest", project: false);
                return nearest.Mmr is { } mmr
                    ? new PlanNode
                    {
                        Kind = PlanKind.Mmr, Spec = spec, Prefetches = prefetches, Space = space, Vector = vector,
                        Lambda = 1 - (mmr.Diversity ?? 0.5), CandidatesLimit = mmr.CandidatesLimit ?? spec.RequestLimit,
                    }
                    : new PlanNode { Kind = PlanKind.Nearest, Spec = spec, Prefetches = prefetches, Space = space, Vector = vector };
            }

            case RecommendQuery recommend:
            {
                var space = QuerySpace.For(_table, spec.Using, usingField);
                var positive = recommend.Positive.Select((v, i) => space.Preprocess(Input(v, field), $"{field}.recommend.positive[{i}]")).ToList();
                var negative = recommend.Negative.Select((v, i) => space.Preprocess(Input(v, field), $"{field}.recommend.negative[{i}]")).ToList();
                if (recommend.Strategy == RecommendStrategy.AverageVector)
                {
                    var average = space.Average(positive, negative, $"{field}.recommend");
                    return new PlanNode { Kind = PlanKind.Nearest, Spec = spec, Prefetches = prefetches, Space = space, Vector = space.Bind(average, $"{field}.recommend", project: true) };
                }

                QueryVector[] Bound(List<VectorData> list) => [.. list.Select(v => space.Bind(v, field, project: false))];
                var scorer = recommend.Strategy == RecommendStrategy.BestScore
                    ? CustomScorer.BestScore(Bound(positive), Bound(negative))
                    : CustomScorer.SumScores(Bound(positive), Bound(negative));
                return new PlanNode { Kind = PlanKind.Custom, Spec = spec, Prefetches = prefetches, Space = space, Custom = scorer };
            }

            case DiscoverQuery discover:
            {
                var space = QuerySpace.For(_table, spec.Using, usingField);
                var target = space.Bind(space.Preprocess(Input(discover.Target, field), $"{field}.discover.target"), field, project: false);
                var scorer = CustomScorer.Discover(target, BindPairs(space, discover.Context, $"{field}.discover.context", Input));
                return new PlanNode { Kind = PlanKind.Custom, Spec = spec, Prefetches = prefetches, Space = space, Custom = scorer };
            }

            case ContextQuery context:
            {
                var space = QuerySpace.For(_table, spec.Using, usingField);
                var scorer = CustomScorer.Context(BindPairs(space, context.Pairs, $"{field}.context", Input));
                return new PlanNode { Kind = PlanKind.Custom, Spec = spec, Prefetches = prefetches, Space = space, Custom = scorer };
            }

            case OrderByQuery orderBy:
                return new PlanNode { Kind = PlanKind.OrderBy, Spec = spec, Prefetches = prefetches, OrderBy = orderBy, OrderKey = PayloadPath.Parse(orderBy.Key, $"{field}.order_by.key") };
            case FusionQuery fusion:
                return new PlanNode { Kind = PlanKind.Fusion, Spec = spec, Prefetches = prefetches, Fusion = fusion };
            case FormulaQuery formula:
                return new PlanNode { Kind = PlanKind.Formula, Spec = spec, Prefetches = prefetches, Formula = CompiledFormula.Compile(formula, field) };
            case SampleQuery:
                return new PlanNode { Kind = PlanKind.Sample, Spec = spec, Prefetches = prefetches };
            default:
                throw new ValidationException(field, $"unknown query {spec.Query.GetType().Name}.");
        }
    }

    private static (QueryVector, QueryVector)[] BindPairs(QuerySpace space, IReadOnlyList<ContextPair> pairs, string field, Func<VectorInput, string, VectorData> input) =>
    [
        .. pairs.Select((p, i) => (
            space.Bind(space.Preprocess(input(p.Positive, field), $"{field}[{i}].positive"), field, project: false),
            space.Bind(space.Preprocess(input(p.Negative, field), $"{field}[{i}].negative"), field, project: false))),
    ];
}
