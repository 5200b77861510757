namespace RoseForest.Engine.Querying;

/// <summary>
/// The scores of recommend (best_score, sum_scores), discover and context queries, from raw
/// similarities as Qdrant computes them (its <c>vector_storage/query/</c>): always higher is better.
/// </summary>
internal sealed class CustomScorer
{
    /// <summary>Context's margin: f32::EPSILON, as in Qdrant.</summary>
    private const double Margin = 1.1920929E-07;

    private readonly Kind _kind;
    private readonly QueryVector[] _positive;
    private readonly QueryVector[] _negative;
    private readonly QueryVector? _target;
    private readonly (QueryVector Positive, QueryVector Negative)[] _pairs;

    private CustomScorer(Kind kind, QueryVector[] positive, QueryVector[] negative, QueryVector? target, (QueryVector, QueryVector)[] pairs)
    {
        _kind = kind;
        _positive = positive;
        _negative = negative;
        _target = target;
        _pairs = pairs;
    }

    private enum Kind
    {
        BestScore,
        SumScores,
        Discover,
        Context,
    }

    public static CustomScorer BestScore(QueryVector[] positive, QueryVector[] negative) => new(Kind.BestScore, positive, negative, null, []);

    public static CustomScorer SumScores(QueryVector[] positive, QueryVector[] negative) => new(Kind.SumScores, positive, negative, null, []);

    public static CustomScorer Discover(QueryVector target, (QueryVector, QueryVector)[] pairs) => new(Kind.Discover, [], [], target, pairs);

    public static CustomScorer Context((QueryVector, QueryVector)[] pairs) => new(Kind.Context, [], [], null, pairs);

    public double Score(QuerySpace space, int slot)
    {
        switch (_kind)
        {
            case Kind.BestScore:
                var bestPositive = Max(space, _positive, slot);
                var bestNegative = Max(space, _negative, slot);
                return bestPositive > bestNegative ? Similarity.ScaledFastSigmoid(bestPositive) : -Similarity.ScaledFastSigmoid(bestNegative);
            case Kind.SumScores:
                return Sum(space, _positive, slot) - Sum(space, _negative, slot);
            case Kind.Discover:
                var rank = 0;
                foreach (var (positive, negative) in _pairs)
                {
                    rank += space.Similarity(positive, slot).CompareTo(space.Similarity(negative, slot)) switch { > 0 => 1, < 0 => -1, _ => 0 };
                }

                return rank + Similarity.ScaledFastSigmoid(space.Similarity(_target!, slot));
            default:
                double loss = 0;
                foreach (var (positive, negative) in _pairs)
                {
                    var difference = space.Similarity(positive, slot) - space.Similarity(negative, slot) - Margin;
                    loss += Similarity.FastSigmoid(Math.Min(difference, 0));
                }

                return loss;
        }
    }

    private static double Max(QuerySpace space, QueryVector[] examples, int slot)
    {
        var best = double.NegativeInfinity;
        foreach (var e in examples)
        {
            best = Math.Max(best, space.Similarity(e, slot));
        }

        return best;
    }

    private static double Sum(QuerySpace space, QueryVector[] examples, int slot)
    {
        double sum = 0;
        foreach (var e in examples)
        {
            sum += space.Similarity(e, slot);
        }

        return sum;
    }
}
