using RoseForest.Engine.Internal;

namespace RoseForest.Engine.Tests;

/// <summary>
/// A collection's info measures its folder while writers replace files in it (a follower pin's
/// atomic rewrite renames its temporary into place). CI once failed a GET of collection info with
/// "Could not find file …/followers.json.&lt;guid&gt;.tmp": the temporary was listed, then renamed
/// before its length was read.
/// </summary>
public class FolderSizeTests
{
    [Fact]
    public void A_file_that_vanishes_between_the_listing_and_the_stat_counts_as_nothing()
    {
        using var tmp = new TempDir();
        var kept = Path.Combine(tmp.Path, "kept.bin");
        File.WriteAllBytes(kept, new byte[123]);
        var gone = new FileInfo(Path.Combine(tmp.Path, "followers.json.0123.tmp")); // listed, then renamed away

        Assert.Equal(123, FolderSize.Sum([new FileInfo(kept), gone, new FileInfo(Path.Combine(tmp.Path, "no-such-dir", "x"))]));
    }

    [Fact]
    public async Task Info_stays_readable_while_follower_pins_are_rewritten()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 4, Geometry = Geometry.Euclid });
        using var stop = new CancellationTokenSource();
        var pins = Task.Run(async () =>
        {
            for (long lsn = 1; !stop.IsCancellationRequested; lsn++)
            {
                await c.RegisterFollowerAsync("replica", lsn);
            }
        });

        try
        {
            for (var i = 0; i < 3000; i++)
            {
                Assert.True(c.GetInfo().BytesOnDisk > 0);
            }
        }
        finally
        {
            stop.Cancel();
            await pins;
        }
    }
}
