namespace RoseForest.Storage.IO;

/// <summary>
/// An exclusive lock on a data directory, held for as long as a database is open, so two
/// processes never write the same files. On Linux .NET takes an advisory flock for
/// <see cref="FileShare.None"/>; the kernel drops it when the process dies, so a crash never
/// leaves the directory locked.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock or throws <see cref="IOException"/> saying who holds it.</summary>
    public static DirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, "LOCK");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            return new DirectoryLock(stream);
        }
        catch (IOException e)
        {
            string holder;
            try
            {
                holder = File.ReadAllText(path);
            }
            catch (IOException)
            {
                holder = "another process";
            }

            throw new IOException($"The data directory '{directory}' is in use by process {holder}; only one process may open it at a time.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
