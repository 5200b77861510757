namespace RoseForest.Core;

/// <summary>An operation named a point that does not exist.</summary>
public sealed class PointNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    public PointNotFoundException(PointId id)
        : base($"No point with id {id} found")
    {
        PointId = id;
    }

    /// <summary>The missing point.</summary>
    public PointId PointId { get; }
}
