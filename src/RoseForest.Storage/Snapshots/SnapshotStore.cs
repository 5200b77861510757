using System.Globalization;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Snapshots;

/// <summary>A snapshot file in a <see cref="SnapshotStore"/>.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Lsn">The LSN it covers.</param>
/// <param name="Bytes">Its size.</param>
public sealed record SnapshotFile(string Path, long Lsn, long Bytes)
{
    /// <summary>The file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// A folder of snapshot files named by the LSN they cover. A snapshot is written to a temporary
/// file, fsynced, renamed into place and the folder fsynced, so a crash at any moment leaves
/// either the old set or the new set, never a partial file under a snapshot's name.
/// </summary>
public sealed class SnapshotStore
{
    private readonly string _directory;

    /// <summary>Opens (creating if needed) a snapshot folder and removes leftover temporary files.</summary>
    public SnapshotStore(string directory)
    {
        _directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        foreach (var tmp in System.IO.Directory.EnumerateFiles(directory, "*.tmp"))
        {
            File.Delete(tmp);
        }
    }

    /// <summary>The folder.</summary>
    public string Folder => _directory;

    /// <summary>The file name a snapshot of this LSN gets.</summary>
    public static string FileName(long lsn) => $"{lsn:D20}{SnapshotFormat.Extension}";

    /// <summary>The snapshots present, oldest first.</summary>
    public IReadOnlyList<SnapshotFile> List()
    {
        var list = new List<SnapshotFile>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + SnapshotFormat.Extension))
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(path);
            if (name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
            {
                list.Add(new SnapshotFile(path, lsn, new FileInfo(path).Length));
            }
        }

        list.Sort((a, b) => a.Lsn.CompareTo(b.Lsn));
        return list;
    }

    /// <summary>
    /// Writes a snapshot covering <paramref name="lsn"/> durably; <paramref name="body"/> writes its sections.
    /// Returns the new file.
    /// </summary>
    public SnapshotFile Write(long lsn, Action<SnapshotWriter> body)
    {
        var path = System.IO.Path.Combine(_directory, FileName(lsn));
        var tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
                SnapshotFormat.WriteHeader(header, lsn);
                stream.Write(header);
                var writer = new SnapshotWriter(stream);
                body(writer);
                writer.WriteEnd();
                stream.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
            DurableFile.SyncDirectory(_directory);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }

        return new SnapshotFile(path, lsn, new FileInfo(path).Length);
    }

    /// <summary>Deletes every snapshot older than <paramref name="keep"/>.</summary>
    public void DeleteOlderThan(SnapshotFile keep)
    {
        var any = false;
        foreach (var s in List())
        {
            if (s.Lsn < keep.Lsn)
            {
                File.Delete(s.Path);
                any = true;
            }
        }

        if (any)
        {
            DurableFile.SyncDirectory(_directory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the next open removes leftover temporary files.
        }
    }
}
