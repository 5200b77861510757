using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Querying;

/// <summary>What a plan node does with its candidates.</summary>
internal enum PlanKind
{
    /// <summary>No query: points in id order.</summary>
    IdOrder,

    /// <summary>Nearest to one vector (also recommend's average_vector).</summary>
    Nearest,

    /// <summary>Nearest candidates, re-ranked by MMR.</summary>
    Mmr,

    /// <summary>Recommend best_score / sum_scores, discover, context.</summary>
    Custom,

    OrderBy,

    Fusion,

    Formula,

    Sample,
}

/// <summary>A query node bound to the collection's spaces under the read lock: vectors prepared, formula compiled.</summary>
internal sealed class PlanNode
{
    public required PlanKind Kind { get; init; }

    public required QuerySpec Spec { get; init; }

    public List<PlanNode> Prefetches { get; init; } = [];

    public QuerySpace? Space { get; init; }

    /// <summary>The query vector of Nearest and Mmr.</summary>
    public QueryVector? Vector { get; init; }

    public CustomScorer? Custom { get; init; }

    /// <summary>MMR's λ = 1 − diversity.</summary>
    public double Lambda { get; init; }

    public int CandidatesLimit { get; init; }

    public PayloadPath? OrderKey { get; init; }

    public OrderByQuery? OrderBy { get; init; }

    public FusionQuery? Fusion { get; init; }

    public CompiledFormula? Formula { get; init; }

    public Filter? Filter => Spec.Filter;

    public int Limit => Spec.Limit;

    public double? Threshold => Spec.Threshold;
}
