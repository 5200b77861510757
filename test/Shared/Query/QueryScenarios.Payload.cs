using System.Globalization;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;
using Xunit;

namespace RoseForest.Testing;

/// <summary>Scenarios that score by payload: formulas, order_by, sampling, id order.</summary>
internal static partial class QueryScenarios
{
    private static double? Number(RefPoint p, string key) =>
        p.Payload.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 2 * 6_371_008.8 * Math.Asin(Math.Sqrt(h));
    }

    private static double EpochSeconds(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0;

    public static async Task FormulaAsync(IVectorDatabase db, Geometry geometry)
    {
        var (c, reference, _) = await DenseAsync(db, $"formula_{geometry}".ToLowerInvariant(), geometry, 17);
        var rng = new Random(11);
        var a = QueryData.Vector(rng, geometry, Dim);
        var b = QueryData.Vector(rng, geometry, Dim);
        Prefetch[] prefetches = [new() { Query = new NearestQuery(a), Limit = 30, Exact = true }, new() { Query = new NearestQuery(b), Limit = 30, Exact = true }];
        var first = reference.Nearest(a, 30).ToDictionary(h => h.Id, h => h.Score);
        var second = reference.Nearest(b, 30).ToDictionary(h => h.Id, h => h.Score);
        var candidates = first.Keys.Union(second.Keys).Select(reference.Point).ToList();

        // Score boosting: the prefetch scores, payload numbers, a condition, three decays over a number, a geo distance and a datetime.
        var boost = new FormulaQuery(new FormulaSum(
        [
            "$score",
            new FormulaMult([0.01, "price"]),
            new FormulaMult([0.5, new FormulaCondition(Condition.Match("group", "red"))]),
            new FormulaDecay(DecayKind.Gauss, "n") { Target = 0.0, Scale = 10 },
            new FormulaDecay(DecayKind.Exp, new FormulaGeoDistance(new GeoPoint(10, 50), "loc")) { Scale = 100_000, Midpoint = 0.4 },
            new FormulaDecay(DecayKind.Lin, new FormulaDatetimeKey("time")) { Target = new FormulaDatetime("2024-02-01T00:00:00Z"), Scale = 86_400 * 30 },
            new FormulaMult(["$score[1]", 0.25]),
        ]))
        {
            Defaults = new Dictionary<string, JsonElement> { ["n"] = JsonElement.Parse("3"), ["$score[1]"] = JsonElement.Parse("-1") },
        };
        double Boost(RefPoint p)
        {
            var n = Number(p, "n") ?? 3;
            var loc = p.Payload.GetProperty("loc");
            var distance = Haversine(10, 50, loc.GetProperty("lon").GetDouble(), loc.GetProperty("lat").GetDouble());
            var days = Math.Abs(EpochSeconds(p.Payload.GetProperty("time").GetString()!) - EpochSeconds("2024-02-01T00:00:00Z"));
            return first.GetValueOrDefault(p.Id)
                + (0.01 * Number(p, "price")!.Value)
                + (p.Payload.GetProperty("group").GetString() == "red" ? 0.5 : 0)
                + Math.Exp(Math.Log(0.5) / 100 * n * n)
                + Math.Exp(Math.Log(0.4) / 100_000 * distance)
                + Math.Max(0, 1 - ((1 - 0.5) / (86_400 * 30) * days))
                + (0.25 * second.GetValueOrDefault(p.Id, -1));
        }

        var hits = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = boost, Limit = 12 });
        QueryAssert.SameHits(QueryReference.Rank(candidates.Select(p => new RefHit(p.Id, Boost(p))), true, 12), hits, $"{geometry} score boosting");

        // The arithmetic: div (with its zero default), pow, ln, abs, sqrt, log10, exp, neg; and a threshold.
        var math = new FormulaQuery(new FormulaSum(
        [
            new FormulaDiv(1.0, "n") { ByZeroDefault = 5 },
            new FormulaPow(1.5, new FormulaUnary(FormulaUnaryOperator.Ln, new FormulaSum([2.0, new FormulaUnary(FormulaUnaryOperator.Abs, "n")]))),
            new FormulaUnary(FormulaUnaryOperator.Sqrt, "price"),
            new FormulaUnary(FormulaUnaryOperator.Log10, new FormulaSum([1.0, "price"])),
            new FormulaUnary(FormulaUnaryOperator.Exp, new FormulaUnary(FormulaUnaryOperator.Neg, new FormulaMult([0.01, "price"]))),
        ]))
        {
            Defaults = new Dictionary<string, JsonElement> { ["n"] = JsonElement.Parse("0") },
        };
        double Math2(RefPoint p)
        {
            var n = Number(p, "n") ?? 0;
            var price = Number(p, "price")!.Value;
            return (n == 0 ? 5 : 1 / n) + Math.Pow(1.5, Math.Log(2 + Math.Abs(n))) + Math.Sqrt(price) + Math.Log10(1 + price) + Math.Exp(-0.01 * price);
        }

        var mathHits = await c.QueryAsync(new QueryRequest { Prefetch = prefetches, Query = math, Limit = 60, ScoreThreshold = 12 });
        QueryAssert.SameHits(QueryReference.Rank(candidates.Select(p => new RefHit(p.Id, Math2(p))).Where(h => h.Score >= 12), true, 60), mathHits, $"{geometry} formula arithmetic");
        Assert.InRange(mathHits.Count, 1, candidates.Count - 1); // the threshold keeps some and drops some
    }

    public static async Task OrderByAsync(IVectorDatabase db)
    {
        var (c, reference, _) = await DenseAsync(db, "order_by", Geometry.Euclid, 18);
        var byPriceDesc = await c.QueryAsync(new QueryRequest { Query = new OrderByQuery("price") { Direction = OrderDirection.Desc }, Limit = 10, WithPayload = true });
        var expected = reference.Points.OrderByDescending(p => Number(p, "price")).ThenBy(p => p.Id).Take(10).ToList();
        Assert.Equal(expected.Select(p => p.Id), byPriceDesc.Select(h => h.Id));
        Assert.Equal(expected.Select(p => Number(p, "price")), byPriceDesc.Select(h => (double?)h.OrderValue!.Value.AsDouble));
        Assert.All(byPriceDesc, h => Assert.Equal(1, h.Score));

        var byN = await c.QueryAsync(new QueryRequest { Query = new OrderByQuery("n") { StartFrom = OrderValue.FromInteger(-5) }, Limit = 15 });
        var expectedN = reference.Points.Where(p => Number(p, "n") >= -5).OrderBy(p => Number(p, "n")).ThenBy(p => p.Id).Take(15).ToList();
        Assert.Equal(expectedN.Select(p => p.Id), byN.Select(h => h.Id));
        Assert.All(byN, h => Assert.True(h.OrderValue!.Value.IsInteger));

        var byTime = await c.QueryAsync(new QueryRequest { Query = new OrderByQuery("time") { Direction = OrderDirection.Desc }, Limit = 5, Filter = GroupFilter("green") });
        var expectedTime = reference.Points.Where(p => InGroup(p, "green")).OrderByDescending(p => EpochSeconds(p.Payload.GetProperty("time").GetString()!)).ThenBy(p => p.Id).Take(5).ToList();
        Assert.Equal(expectedTime.Select(p => p.Id), byTime.Select(h => h.Id));
        Assert.Equal(expectedTime.Select(p => (long)EpochSeconds(p.Payload.GetProperty("time").GetString()!) * 1_000_000), byTime.Select(h => h.OrderValue!.Value.Integer));

        // As a rescoring stage: the prefetched points, ordered by their price.
        var q = QueryData.Vector(new Random(12), Geometry.Euclid, Dim);
        var rescored = await c.QueryAsync(new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(q), Limit = 30, Exact = true }], Query = new OrderByQuery("price"), Limit = 5 });
        var near = reference.Nearest(q, 30).Select(h => reference.Point(h.Id)).OrderBy(p => Number(p, "price")).ThenBy(p => p.Id).Take(5);
        Assert.Equal(near.Select(p => p.Id), rescored.Select(h => h.Id));
    }

    public static async Task SampleAndIdOrderAsync(IVectorDatabase db)
    {
        var (c, reference, _) = await DenseAsync(db, "sample", Geometry.Cosine, 19);
        var red = reference.Points.Where(p => InGroup(p, "red")).Select(p => p.Id).ToHashSet();
        var sample = await c.QueryAsync(new QueryRequest { Query = SampleQuery.Random, Limit = 10, Filter = GroupFilter("red") });
        Assert.Equal(Math.Min(10, red.Count), sample.Select(h => h.Id).Distinct().Count());
        Assert.All(sample, h => Assert.Contains(h.Id, red));
        var all = await c.QueryAsync(new QueryRequest { Query = SampleQuery.Random, Limit = 1000, Filter = GroupFilter("red") });
        Assert.Equal(red.Order(), all.Select(h => h.Id).Order());

        // No query: id order, score 1, offset applied.
        var page = await c.QueryAsync(new QueryRequest { Limit = 5, Offset = 3, Filter = GroupFilter("red") });
        Assert.Equal(red.Order().Skip(3).Take(5), page.Select(h => h.Id));
        Assert.All(page, h => Assert.Equal(1, h.Score));
    }
}
