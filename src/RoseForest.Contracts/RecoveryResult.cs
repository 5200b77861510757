namespace RoseForest.Contracts;

/// <summary>What reopening a collection found.</summary>
/// <param name="PointsCount">Live points after the reopen.</param>
/// <param name="RecordsReplayed">Log records replayed after the snapshot.</param>
/// <param name="RecordsQuarantined">Log records set aside because they could not be applied.</param>
public sealed record RecoveryResult(long PointsCount, long RecordsReplayed, int RecordsQuarantined);
