using System.Text.Json;
using RoseForest.Core.Filters;
using Xunit;

namespace RoseForest.Testing;

/// <summary>Random writes of every kind through the service interface, and a comparison of two collections point by point.</summary>
internal static class ChangeWorkload
{
    internal static async Task RandomWritesAsync(IVectorCollection c, Random rng, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = (ulong)rng.Next(40);
            switch (rng.Next(6))
            {
                case 0:
                    await c.DeleteAsync(PointSelector.ById(id, (ulong)rng.Next(40)));
                    break;
                case 1 when await c.CountAsync() > 0:
                    try
                    {
                        await c.SetPayloadAsync(PointSelector.ById(id), JsonElement.Parse($$"""{"k":{{rng.Next(9)}},"nest":[{"a":1}]}"""), rng.Next(2) == 0 ? null : "nest[0]");
                    }
                    catch (PointNotFoundException)
                    {
                        // Refused, nothing logged: fine for the feed.
                    }

                    break;
                case 2:
                    await c.DeletePayloadKeysAsync(PointSelector.Where(Filter.Where(Condition.Range("i", lt: rng.Next(40)))), ["k"]);
                    break;
                default:
                    var points = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ =>
                    {
                        var pid = (ulong)rng.Next(40);
                        return new PointStruct(pid, [(float)rng.NextDouble(), (float)rng.NextDouble(), pid, 1], JsonElement.Parse($$"""{"i":{{pid}}}"""));
                    }).ToArray();
                    await c.UpsertAsync(points);
                    break;
            }
        }
    }

    internal static async Task AssertSameAsync(IVectorCollection expected, IVectorCollection actual)
    {
        var want = await AllAsync(expected);
        var got = await AllAsync(actual);
        Assert.Equal(want.Count, got.Count);
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Id, got[i].Id);
            Assert.Equal(want[i].Vector, got[i].Vector);
            Assert.Equal(want[i].Payload?.GetRawText() ?? "{}", got[i].Payload?.GetRawText() ?? "{}");
        }
    }

    private static async Task<List<RoseForest.Contracts.Record>> AllAsync(IVectorCollection c)
    {
        var all = new List<RoseForest.Contracts.Record>();
        PointId? offset = null;
        do
        {
            var page = await c.ScrollAsync(new ScrollRequest { Limit = 64, Offset = offset, WithVector = true });
            all.AddRange(page.Points);
            offset = page.NextOffset;
        }
        while (offset is not null);
        return all;
    }
}
