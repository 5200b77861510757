using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;

namespace RoseForest.Core.Tests.Filters;

/// <summary>Filters run per point in scans: after warm-up, evaluating one allocates nothing.</summary>
public class AllocationTests
{
    private sealed class Vectors : IPointVectors
    {
        public bool Has(string vectorName) => vectorName.Length == 0;
    }

    [Fact]
    public void Evaluating_every_condition_kind_allocates_nothing_per_point()
    {
        var filter = new Filter(
            must:
            [
                Condition.Match("c", "red"),
                Condition.Range("b", gte: 0),
                Condition.Text("t", "good cheap"),
                Condition.Nested("n", new Filter(must: [Condition.Match("x", 1)], mustNot: [Condition.Phrase("t", "alpha beta")])),
                Condition.HasVector(""),
            ],
            should:
            [
                Condition.Geo("g", new GeoRadius(new GeoPoint(0, 0), 500_000)),
                Condition.Geo("g", new GeoPolygon([new(0, 0), new(5, 0), new(5, 5), new(0, 0)])),
                Condition.Range("d", new DatetimeRange(Gte: FilterDateTime.Parse("2020-01-01"))),
            ],
            mustNot: [Condition.HasId(PointId.FromNumber(9)), Condition.Slice(2, 1), Condition.IsNull("e"), Condition.TextAny("t", "never"), Condition.Prefix("c", "bl")],
            minShould: new MinShould([Condition.ValuesCount("n", gte: 1), Condition.IsEmpty("e"), Condition.Geo("g", new GeoBoundingBox(new GeoPoint(-1, 1), new GeoPoint(1, -1)))], 2));
        var payload = JsonElement.Parse("""
            {"c":"red","b":1.5,"t":"Cheap, and good!","n":[{"x":2},{"x":1,"t":"alpha gamma beta"}],
             "g":{"lon":0.5,"lat":0.5},"d":"2021-06-01T00:00:00+02:00"}
            """);
        var vectors = new Vectors();
        Assert.True(filter.Matches(PointId.FromNumber(4), payload, vectors)); // each clause is exercised, and the filter holds

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            filter.Matches(PointId.FromNumber(4), payload, vectors);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
