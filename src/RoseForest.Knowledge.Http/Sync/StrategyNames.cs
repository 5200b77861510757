using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>The conflict strategies' names on the wire: <c>crdt</c>, <c>last_write_wins</c>, <c>highest_version</c>, <c>merge</c>, <c>geometric_mean</c>.</summary>
internal static class StrategyNames
{
    public static string Name(ConflictStrategy strategy) => strategy switch
    {
        ConflictStrategy.Crdt => "crdt",
        ConflictStrategy.LastWriteWins => "last_write_wins",
        ConflictStrategy.HighestVersion => "highest_version",
        ConflictStrategy.Merge => "merge",
        ConflictStrategy.GeometricMean => "geometric_mean",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };

    public static ConflictStrategy Parse(string? name, string field = "strategy") => name switch
    {
        null or "crdt" => ConflictStrategy.Crdt,
        "last_write_wins" => ConflictStrategy.LastWriteWins,
        "highest_version" => ConflictStrategy.HighestVersion,
        "merge" => ConflictStrategy.Merge,
        "geometric_mean" => ConflictStrategy.GeometricMean,
        _ => throw new ValidationException(field, $"must be crdt, last_write_wins, highest_version, merge or geometric_mean, got '{name}'."),
    };
}
