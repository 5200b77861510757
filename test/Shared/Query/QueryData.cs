using System.Globalization;
using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Testing;

/// <summary>Random points for the query tests, with fixed seeds: vectors in each geometry's domain and a payload with every kind of field the queries read.</summary>
internal static class QueryData
{
    public static readonly Geometry[] DenseGeometries = [Geometry.Euclid, Geometry.Cosine, Geometry.Dot, Geometry.Manhattan, Geometry.Poincare, Geometry.Lorentz];

    public static readonly string[] Groups = ["red", "green", "blue", "amber", "teal"];

    /// <summary>A vector in the geometry's domain (curvature 1): the Poincaré ball, the Lorentz upper sheet.</summary>
    public static float[] Vector(Random rng, Geometry geometry, int dim)
    {
        var v = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            v[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        switch (geometry)
        {
            case Geometry.Poincare:
                var norm = Math.Sqrt(v.Sum(x => (double)x * x));
                var radius = 0.85 * rng.NextDouble();
                return [.. v.Select(x => (float)(x / norm * radius))];
            case Geometry.Lorentz:
                v[0] = (float)Math.Sqrt(1 + v.Skip(1).Sum(x => (double)x * x));
                return v;
            default:
                return v;
        }
    }

    /// <summary>A payload: group (string), n (integer), price (float), tags (strings), time (datetime), loc (geo point), maybe a list of groups.</summary>
    public static JsonElement Payload(Random rng, int i)
    {
        var group = Groups[rng.Next(Groups.Length)];
        var tags = string.Join(",", Enumerable.Range(0, rng.Next(4)).Select(_ => $"\"{Groups[rng.Next(Groups.Length)]}\""));
        var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(rng.Next(100_000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var price = Math.Round(rng.NextDouble() * 100, 2).ToString("0.0#", CultureInfo.InvariantCulture);
        var lon = ((rng.NextDouble() * 10) + 5).ToString("R", CultureInfo.InvariantCulture);
        var lat = ((rng.NextDouble() * 10) + 45).ToString("R", CultureInfo.InvariantCulture);
        var n = rng.Next(-20, 20);
        var maybe = i % 7 == 0 ? string.Empty : $",\"n\":{n}";
        return JsonElement.Parse($$"""{"group":"{{group}}","price":{{price}},"tags":[{{tags}}],"time":"{{time}}","loc":{"lon":{{lon}},"lat":{{lat}}}{{maybe}}}""");
    }

    /// <summary>Dense points 1..count of one geometry.</summary>
    public static List<PointStruct> Dense(Geometry geometry, int count, int dim, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(1, count).Select(i => new PointStruct((ulong)i, Vector(rng, geometry, dim), Payload(rng, i)))];
    }

    /// <summary>The reference's view of points written to a collection (cosine vectors normalised as stored).</summary>
    public static QueryReference Reference(IEnumerable<PointStruct> points, Geometry geometry)
    {
        var list = points.ToList();
        var plain = new QueryReference([], geometry);
        return new QueryReference([.. list.Select(p => new RefPoint(p.Id, p.Vector is { } v ? plain.Stored(v) : null, null, null, p.Payload ?? JsonElement.Parse("{}")))], geometry);
    }
}
