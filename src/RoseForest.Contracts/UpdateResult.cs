namespace RoseForest.Contracts;

/// <summary>The outcome of a write: its LSN (Qdrant's operation_id), acknowledged at the collection's durability level.</summary>
/// <param name="OperationId">The write's LSN; writes to one collection are applied in this order.</param>
/// <param name="PointsAffected">How many points the write named: the ids given, or the points a filter matched.</param>
public sealed record UpdateResult(long OperationId, int PointsAffected);
