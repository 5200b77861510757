namespace RoseForest.Federated.Coordination;

/// <summary>Durable storage of a task's snapshot (a versioned binary blob, see docs/federated.md). The coordinator saves after every change of state.</summary>
public interface IFederatedStateStore
{
    /// <summary>Replaces the task's snapshot; must be atomic (a reader sees the old or the new one).</summary>
    void Save(string taskId, ReadOnlySpan<byte> snapshot);

    /// <summary>The task's latest snapshot, or null when none was saved.</summary>
    byte[]? Load(string taskId);
}
