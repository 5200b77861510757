namespace RoseForest.Core.Spaces;

/// <summary>
/// Whether a kernel may stop once its partial sum passes a bound. A compile-time constant per
/// struct, so the JIT drops the checks from the loop of <see cref="Exact"/>.
/// </summary>
internal interface IStopRule
{
    static abstract bool Abandons { get; }
}

/// <summary>Always sums every coordinate.</summary>
internal readonly struct Exact : IStopRule
{
    public static bool Abandons => false;
}

/// <summary>Stops early when the (monotone) partial sum exceeds the bound.</summary>
internal readonly struct Abandoning : IStopRule
{
    public static bool Abandons => true;
}
