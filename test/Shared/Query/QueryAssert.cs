using Xunit;

namespace RoseForest.Testing;

/// <summary>Compares query results with the reference: same length, same scores within a tolerance, same ids except among (near-)equal scores.</summary>
internal static class QueryAssert
{
    public static void SameHits(IReadOnlyList<RefHit> expected, IReadOnlyList<ScoredPoint> actual, string what, double tolerance = 1e-6)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} hits, got {actual.Count}\nexpected {Show(expected)}\nactual   {Show(actual.Select(a => new RefHit(a.Id, a.Score)).ToList())}");
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.True(Close(e.Score, a.Score, tolerance), $"{what}: position {i}: expected score {e.Score:R} (id {e.Id}), got {a.Score:R} (id {a.Id})");
            if (e.Id != a.Id)
            {
                // Only a tie (within the tolerance) may swap points.
                Assert.True(expected.Any(x => x.Id == a.Id && Close(x.Score, e.Score, tolerance)), $"{what}: position {i}: expected id {e.Id} ({e.Score:R}), got {a.Id} ({a.Score:R})");
            }
        }
    }

    public static bool Close(double a, double b, double tolerance) => Math.Abs(a - b) <= tolerance * (1 + Math.Max(Math.Abs(a), Math.Abs(b)));

    private static string Show(IReadOnlyList<RefHit> hits) => string.Join(", ", hits.Select(h => $"{h.Id}:{h.Score:G6}"));
}
