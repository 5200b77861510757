namespace RoseForest.Knowledge.Sync;

/// <summary>Where a <see cref="ReplicationJob"/> is.</summary>
public enum ReplicationPhase
{
    /// <summary>Not run yet.</summary>
    Idle,

    /// <summary>Reading the remote feed from the local checkpoint and applying it locally.</summary>
    Pulling,

    /// <summary>Reading the local feed from the remote checkpoint and applying it remotely.</summary>
    Pushing,

    /// <summary>Exchanging acknowledgement vectors (for delete-marker collection).</summary>
    Acknowledging,

    /// <summary>Both feeds drained; <see cref="ReplicationJob.State"/> updated.</summary>
    Completed,

    /// <summary>A step threw; checkpoints keep what was applied, and running again resumes.</summary>
    Failed,
}
