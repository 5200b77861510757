namespace RoseForest.Engine.Internal;

/// <summary>The bytes a collection's folder holds, as reported in its info.</summary>
internal static class FolderSize
{
    public static long Of(string directory) =>
        Directory.Exists(directory) ? Sum(new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)) : 0;

    /// <summary>
    /// Sums the files' lengths. A file listed but gone before its length is read (an atomic
    /// rewrite's temporary renamed into place, a checkpoint dropped) counts as nothing: the
    /// folder is written while it is measured, and a size report must not fail a read request.
    /// </summary>
    public static long Sum(IEnumerable<FileInfo> files)
    {
        long total = 0;
        foreach (var file in files)
        {
            try
            {
                total += file.Length;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // vanished between the listing and the stat
            }
        }

        return total;
    }
}
