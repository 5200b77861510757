using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>Bounds gt, gte, lt, lte on a number; null bounds are open.</summary>
public readonly record struct NumericRange(double? Gt, double? Gte, double? Lt, double? Lte)
{
    /// <summary>True when x lies within every bound.</summary>
    public bool Contains(double x) =>
        (Gt is not { } gt || x > gt) &&
        (Gte is not { } gte || x >= gte) &&
        (Lt is not { } lt || x < lt) &&
        (Lte is not { } lte || x <= lte);

    /// <summary>True when no bound is set.</summary>
    public bool IsUnbounded => Gt is null && Gte is null && Lt is null && Lte is null;
}
