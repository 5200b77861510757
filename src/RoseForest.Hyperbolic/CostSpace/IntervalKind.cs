namespace RoseForest.Hyperbolic.CostSpace;

/// <summary>The causal character of the interval between two cost vectors.</summary>
public enum IntervalKind
{
    /// <summary>ds² &lt; 0: the time difference dominates the resource differences.</summary>
    Timelike,

    /// <summary>ds² = 0 within the space's tolerance: time and resources balance exactly.</summary>
    Lightlike,

    /// <summary>ds² &gt; 0: the resource differences dominate the time difference.</summary>
    Spacelike,
}
