using RoseForest.Core.Filters;

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

    /// <summary>
    /// Qdrant's update_filter: an existing point is replaced only when it matches this filter
    /// (evaluated on its stored state); points that do not exist yet are inserted regardless.
    /// </summary>
    public Filter? UpdateFilter { get; init; }

    /// <summary>Qdrant's update_mode: insert and replace (default), insert only new ids, or replace only existing ones.</summary>
    public UpdateMode Mode { get; init; }
}

/// <summary>Which points an upsert writes (Qdrant's update_mode).</summary>
public enum UpdateMode
{
    /// <summary>Insert new points and replace existing ones.</summary>
    Upsert,

    /// <summary>Insert new points; leave existing ones as they are.</summary>
    InsertOnly,

    /// <summary>Replace existing points; ignore ids that do not exist.</summary>
    UpdateOnly,
}
