namespace RoseForest.Knowledge.Http.Store;

/// <summary>A log that keeps nothing: for servers that run in memory.</summary>
internal sealed class MemorySyncLog : ISyncLog
{
    public byte[]? LoadedSnapshot => null;

    public IReadOnlyList<byte[]> LoadedRecords => [];

    public long BytesSinceSnapshot { get; private set; }

    public void Append(ReadOnlySpan<byte> record) => BytesSinceSnapshot += record.Length;

    public void Snapshot(ReadOnlySpan<byte> snapshot) => BytesSinceSnapshot = 0;

    public void ReleaseLoaded()
    {
    }

    public void Dispose()
    {
    }
}
