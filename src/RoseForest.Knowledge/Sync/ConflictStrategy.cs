namespace RoseForest.Knowledge.Sync;

/// <summary>
/// How concurrent versions of one value are settled (the HVS conflict strategies). Every strategy
/// is a deterministic function of the set of versions, independent of their order, so replicas
/// holding the same versions agree (see <see cref="ConflictStrategies"/>).
/// </summary>
public enum ConflictStrategy
{
    /// <summary>The default: the CRDT's causal rules (a write supersedes what it saw); among concurrent survivors the largest HLC stamp is read.</summary>
    Crdt,

    /// <summary>The version with the largest HLC stamp (physical time first), causal or not.</summary>
    LastWriteWins,

    /// <summary>The version with the largest version number; ties by the largest stamp.</summary>
    HighestVersion,

    /// <summary>Vectors only: the geodesic midpoint of two versions (the equally weighted Fréchet mean of more).</summary>
    Merge,

    /// <summary>Vectors only: the weighted Fréchet mean of all versions.</summary>
    GeometricMean,
}
