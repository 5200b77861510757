using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>Qdrant's update_mode and update_filter on upsert and update_vectors, judged against the stored state.</summary>
public class ConditionalUpsertTests
{
    private static PointStruct P(ulong id, float x, string version) => new(id, [x, 0], JsonElement.Parse($$"""{"v":"{{version}}"}"""));

    private static async Task<Dictionary<ulong, string>> Versions(Collection col)
    {
        var page = await col.ScrollAsync(new ScrollRequest { Limit = 100, WithPayload = PayloadSelector.All });
        return page.Points.ToDictionary(r => ulong.Parse(r.Id.ToString(), System.Globalization.CultureInfo.InvariantCulture), r => r.Payload!.Value.GetProperty("v").GetString()!);
    }

    [Fact]
    public async Task Each_mode_and_the_filter_write_exactly_the_points_they_allow_and_replay_the_same()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
            await col.UpsertAsync([P(1, 1, "old"), P(2, 2, "old"), P(3, 3, "keep")]);

            // insert_only: 1 exists (untouched), 4 is new (inserted).
            await col.UpsertAsync([P(1, 10, "insert"), P(4, 4, "insert")], new UpsertOptions { Mode = UpdateMode.InsertOnly });
            Assert.Equal(new Dictionary<ulong, string> { [1] = "old", [2] = "old", [3] = "keep", [4] = "insert" }, await Versions(col));

            // update_only: 2 exists (replaced), 5 is new (ignored).
            await col.UpsertAsync([P(2, 20, "update"), P(5, 5, "update")], new UpsertOptions { Mode = UpdateMode.UpdateOnly });
            Assert.Equal(new Dictionary<ulong, string> { [1] = "old", [2] = "update", [3] = "keep", [4] = "insert" }, await Versions(col));

            // upsert with a filter: 1 matches v=old (replaced), 3 does not (kept), 6 is new (inserted regardless).
            var onlyOld = new Filter(must: [Condition.Match("v", "old")]);
            await col.UpsertAsync([P(1, 11, "filtered"), P(3, 33, "filtered"), P(6, 6, "filtered")], new UpsertOptions { UpdateFilter = onlyOld });
            Assert.Equal(new Dictionary<ulong, string> { [1] = "filtered", [2] = "update", [3] = "keep", [4] = "insert", [6] = "filtered" }, await Versions(col));

            // update_only with a filter: only existing points that match.
            await col.UpsertAsync([P(2, 22, "both"), P(4, 44, "both"), P(7, 7, "both")], new UpsertOptions { Mode = UpdateMode.UpdateOnly, UpdateFilter = new Filter(must: [Condition.Match("v", "insert")]) });
            Assert.Equal(new Dictionary<ulong, string> { [1] = "filtered", [2] = "update", [3] = "keep", [4] = "both", [6] = "filtered" }, await Versions(col));
            Assert.Equal(new float[] { 44, 0 }, (await col.GetAsync(4))!.Vector);

            // update_vectors with a filter: point 3 (v=keep) is left as it is, point 1 changes.
            await col.UpdateVectorsAsync([new PointStruct(1, [100, 100]), new PointStruct(3, [300, 300])], new Filter(must: [Condition.Match("v", "filtered")]));
            Assert.Equal(new float[] { 100, 100 }, (await col.GetAsync(1))!.Vector);
            Assert.Equal(new float[] { 3, 0 }, (await col.GetAsync(3))!.Vector);

            // A write that keeps no point is acknowledged and changes nothing.
            await col.UpsertAsync([P(1, 0, "none")], new UpsertOptions { Mode = UpdateMode.InsertOnly });
            Assert.Equal("filtered", (await Versions(col))[1]);
        }

        // The log holds what was written, so replay gives the same state.
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = db.GetCollection("c");
            Assert.Equal(new Dictionary<ulong, string> { [1] = "filtered", [2] = "update", [3] = "keep", [4] = "both", [6] = "filtered" }, await Versions(col));
            Assert.Equal(new float[] { 100, 100 }, (await col.GetAsync(1))!.Vector);
        }
    }
}
