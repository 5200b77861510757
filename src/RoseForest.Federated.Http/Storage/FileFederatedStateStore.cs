using RoseForest.Federated.Coordination;
using RoseForest.Storage.IO;

namespace RoseForest.Federated.Http.Storage;

/// <summary>
/// Coordinator snapshots in files: <c>&lt;folder&gt;/&lt;task&gt;/state.rffl</c>, each save written
/// to a temporary file, fsynced, renamed over the old one and the folder fsynced, so a crash
/// leaves the previous or the new snapshot, never a torn one.
/// </summary>
public sealed class FileFederatedStateStore : IFederatedStateStore
{
    /// <summary>The snapshot's file name inside a task's folder.</summary>
    public const string FileName = "state.rffl";

    private readonly string _folder;

    /// <summary>Creates the store over a folder holding one sub-folder per task (created when missing).</summary>
    public FileFederatedStateStore(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <inheritdoc/>
    public void Save(string taskId, ReadOnlySpan<byte> snapshot)
    {
        var dir = Path.Combine(_folder, TaskFolders.Check(taskId));
        Directory.CreateDirectory(dir);
        DurableFile.WriteAllBytesAtomic(Path.Combine(dir, FileName), snapshot);
    }

    /// <inheritdoc/>
    public byte[]? Load(string taskId)
    {
        var path = Path.Combine(_folder, TaskFolders.Check(taskId), FileName);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }
}
