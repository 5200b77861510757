using System.Runtime.InteropServices;

namespace RoseForest.Storage.IO;

/// <summary>
/// The few file-system calls durability needs beyond .NET's: fsync of a directory (so a create,
/// rename or delete survives a power loss), and an atomic replace-by-rename.
/// </summary>
public static partial class DurableFile
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

    /// <summary>Flushes a directory's entries to disk. A no-op where the OS has no such call.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(path, ORdOnly | (OperatingSystem.IsLinux() ? ODirectory : 0));
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Writes a whole file durably: to a temporary name, fsync, rename over the target, fsync the directory.</summary>
    public static void WriteAllBytesAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        // A temporary name of its own per write: two writers replacing the same file at once each
        // rename a complete file into place (the last one wins) instead of one taking the other's
        // temporary away mid-write.
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }

        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Copies a file durably: to a temporary name beside the target, fsync, rename over the
    /// target, fsync the directory. Every chunk read is also passed to <paramref name="observe"/>
    /// (to hash the bytes in the same pass). A crash leaves the old target or the complete copy.
    /// </summary>
    public static void CopyAtomic(string source, string target, Action<ReadOnlySpan<byte>>? observe = null)
    {
        var tmp = target + ".tmp";
        try
        {
            using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16))
            using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    observe?.Invoke(buffer.AsSpan(0, read));
                    output.Write(buffer, 0, read);
                }

                output.Flush(flushToDisk: true);
            }

            File.Move(tmp, target, overwrite: true);
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
