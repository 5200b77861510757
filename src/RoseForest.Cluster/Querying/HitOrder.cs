namespace RoseForest.Cluster.Querying;

/// <summary>
/// The order a stage's hits come in, exactly as the engine orders them, so that merging the
/// shards' best lists gives the one list a single collection would have answered: by score
/// (higher or lower first as the vector's geometry says; equal scores by lower id), by an
/// order_by value (equal values by lower id), or by id.
/// </summary>
internal sealed class HitOrder : IComparer<ScoredPoint>
{
    private readonly Kind _kind;
    private readonly bool _descending;

    private HitOrder(Kind kind, bool descending)
    {
        _kind = kind;
        _descending = descending;
    }

    private enum Kind
    {
        Id,
        Score,
        Value,
        Random,
    }

    /// <summary>Points in id order (a stage without a query).</summary>
    public static HitOrder ById { get; } = new(Kind.Id, false);

    /// <summary>Higher scores first (recommend best_score/sum_scores, discover, context, fusion).</summary>
    public static HitOrder HigherScores { get; } = new(Kind.Score, true);

    /// <summary>A random sample: no order to keep.</summary>
    public static HitOrder Random { get; } = new(Kind.Random, false);

    /// <summary>The order of <paramref name="stage"/>'s hits in a collection with these options.</summary>
    public static HitOrder For(QueryStage stage, CollectionOptions options) => stage.Query switch
    {
        null => ById,
        NearestQuery or RecommendQuery { Strategy: RecommendStrategy.AverageVector } => new(Kind.Score, HigherIsBetter(options, stage.Using)),
        OrderByQuery o => new(Kind.Value, o.Direction == OrderDirection.Desc),
        SampleQuery => Random,
        _ => HigherScores,
    };

    public bool IsRandom => _kind == Kind.Random;

    /// <summary>Whether nearest scores of the named vector are better when higher (cosine, dot, sparse, multivectors) or lower (distances).</summary>
    public static bool HigherIsBetter(CollectionOptions options, string vectorName)
    {
        foreach (var (name, p) in options.DenseVectors)
        {
            if (name == vectorName)
            {
                return p.Multivector is not null || GeometryInfo.HigherIsBetter(p.Distance);
            }
        }

        return true;
    }

    public int Compare(ScoredPoint? x, ScoredPoint? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var c = _kind switch
        {
            Kind.Score => _descending ? y.Score.CompareTo(x.Score) : x.Score.CompareTo(y.Score),
            Kind.Value => (x.OrderValue ?? default).CompareTo(y.OrderValue ?? default) * (_descending ? -1 : 1),
            _ => 0,
        };
        return c != 0 ? c : x.Id.CompareTo(y.Id);
    }

    /// <summary>The best <paramref name="limit"/> of the shards' lists (each already in this order).</summary>
    public List<ScoredPoint> Merge(IEnumerable<IReadOnlyList<ScoredPoint>> shards, int limit)
    {
        var all = shards.SelectMany(s => s).ToList();
        if (IsRandom)
        {
            System.Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
            return all.Count > limit ? all[..limit] : all;
        }

        all.Sort(this);
        return all.Count > limit ? all[..limit] : all;
    }
}
