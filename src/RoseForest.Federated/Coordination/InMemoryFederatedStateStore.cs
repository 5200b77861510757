using System.Collections.Concurrent;

namespace RoseForest.Federated.Coordination;

/// <summary>A state store in memory: for tests and for coordinators whose state may be lost with the process.</summary>
public sealed class InMemoryFederatedStateStore : IFederatedStateStore
{
    private readonly ConcurrentDictionary<string, byte[]> _snapshots = new(StringComparer.Ordinal);

    /// <summary>How many snapshots were saved (all tasks).</summary>
    public int SaveCount { get; private set; }

    /// <inheritdoc/>
    public void Save(string taskId, ReadOnlySpan<byte> snapshot)
    {
        _snapshots[taskId] = snapshot.ToArray();
        SaveCount++;
    }

    /// <inheritdoc/>
    public byte[]? Load(string taskId) => _snapshots.TryGetValue(taskId, out var s) ? (byte[])s.Clone() : null;
}
