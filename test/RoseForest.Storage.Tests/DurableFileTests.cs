using RoseForest.Storage.IO;

namespace RoseForest.Storage.Tests;

public class DurableFileTests
{
    /// <summary>
    /// Two writers replacing the same file at once (CI saw it with followers.json: "Could not find
    /// file followers.json.tmp") each end with a complete file, never an exception: with one shared
    /// temporary name, one writer's rename took the other's half-written temporary away.
    /// </summary>
    [Fact]
    public async Task Concurrent_atomic_writes_of_one_file_all_succeed_and_leave_a_whole_file()
    {
        using var tmp = new TempDir();
        var path = Path.Combine(tmp.Path, "followers.json");
        var a = new byte[4096];
        var b = new byte[4096];
        Array.Fill(a, (byte)'a');
        Array.Fill(b, (byte)'b');
        using var start = new Barrier(2);
        var writers = new[] { a, b }.Select(bytes => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 300; i++)
            {
                DurableFile.WriteAllBytesAtomic(path, bytes);
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var final = await File.ReadAllBytesAsync(path);
        Assert.True(final.SequenceEqual(a) || final.SequenceEqual(b), "the file is one writer's bytes, whole");
        Assert.Equal(["followers.json"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }
}
