namespace RoseForest.Contracts;

/// <summary>Options of one upsert.</summary>
public sealed class UpsertOptions
{
    /// <summary>The defaults: hyperbolic points off the manifold are refused.</summary>
    public static UpsertOptions Default { get; } = new();

    /// <summary>
    /// For poincare and lorentz collections: move a point that is off the manifold onto it
    /// (pull it inside the ball; recompute x0 from the spatial coordinates) instead of refusing it.
    /// </summary>
    public bool ProjectOntoManifold { get; init; }
}
