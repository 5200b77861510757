using System.Text.Json;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Folders written by the format before named vectors (commit ed0dfc0~1, by
/// Fixtures/format1/Generator.cs.txt) still open: one closed cleanly (everything in a
/// checkpoint), one left by a process that exited without closing (a checkpoint plus a log tail
/// of upserts, deletes and a payload edit). Their content must read back as that engine wrote it
/// (expected.json, dumped by the old engine), and they must take new writes.
/// </summary>
public class FormatCompatibilityTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "format1");

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    [Theory]
    [InlineData("closed")]
    [InlineData("crashed")]
    public async Task A_folder_of_the_previous_format_opens_with_every_point_as_written(string which)
    {
        using var tmp = new TempDir();
        CopyTree(Path.Combine(Fixtures, which), tmp.Path);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "expected.json")));

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            foreach (var collection in expected.RootElement.EnumerateObject())
            {
                var col = db.GetCollection(collection.Name);
                var page = await col.ScrollAsync(new ScrollRequest { Limit = 10_000, WithPayload = PayloadSelector.All, WithVector = VectorSelector.All });
                var want = collection.Value.EnumerateArray().ToList();
                Assert.Equal(want.Count, page.Points.Count);
                for (var i = 0; i < want.Count; i++)
                {
                    var got = page.Points[i];
                    Assert.Equal(want[i].GetProperty("id").GetString(), got.Id.ToString());
                    Assert.Equal(want[i].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray(), got.Vector);
                    var payload = want[i].GetProperty("payload");
                    Assert.Equal(payload.ValueKind == JsonValueKind.Null ? null : payload.GetRawText(), got.Payload?.GetRawText());
                }

                // The index works: each point's own vector finds it first (exact and by the graph or flat path).
                foreach (var point in page.Points.Take(20))
                {
                    var hits = await col.SearchAsync(new SearchRequest { Vector = point.Vector!, Limit = 1 });
                    Assert.Equal(point.Id, hits[0].Id);
                }

                // And it takes new writes that survive another reopen.
                await col.UpsertAsync([new PointStruct(1_000_000, page.Points[0].Vector, JsonElement.Parse("""{"new":true}"""))]);
            }
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            foreach (var collection in expected.RootElement.EnumerateObject())
            {
                var col = db.GetCollection(collection.Name);
                Assert.Equal(collection.Value.GetArrayLength() + 1, await col.CountAsync());
                Assert.NotNull(await col.GetAsync(1_000_000));
            }
        }
    }
}
