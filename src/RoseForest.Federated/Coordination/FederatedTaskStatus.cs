namespace RoseForest.Federated.Coordination;

/// <summary>Where a federated task stands.</summary>
public enum FederatedTaskStatus
{
    /// <summary>Between rounds: the next round can be started.</summary>
    Idle = 0,

    /// <summary>A round is open and collecting updates.</summary>
    RoundOpen = 1,

    /// <summary>All rounds are done.</summary>
    Completed = 2,

    /// <summary>A round failed <see cref="FederatedTaskOptions.MaxRoundAttempts"/> times.</summary>
    Failed = 3,
}
