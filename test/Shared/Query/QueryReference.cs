using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Testing;

/// <summary>One point as the reference sees it: the stored form of each vector (cosine vectors of unit length).</summary>
internal sealed record RefPoint(PointId Id, float[]? Dense, SparseVector? Sparse, float[][]? Multi, JsonElement Payload);

/// <summary>A scored point of the reference.</summary>
internal readonly record struct RefHit(PointId Id, double Score);

/// <summary>
/// A brute-force reference for the query API, written from Qdrant's definitions without the
/// engine's code: every point is scored with the plain formulas, sorted, and cut. Used to check
/// the engine and the REST API agree with Qdrant's semantics in every geometry.
/// </summary>
internal sealed class QueryReference(IReadOnlyList<RefPoint> points, Geometry geometry, double curvature = 1.0)
{
    public IReadOnlyList<RefPoint> Points => points;

    public RefPoint Point(PointId id) => points.Single(p => p.Id == id);

    public bool HigherIsBetter => geometry is Geometry.Cosine or Geometry.Dot;

    /// <summary>The distance or similarity a nearest query reports.</summary>
    public double Score(float[] a, float[] b) => geometry switch
    {
        Geometry.Cosine or Geometry.Dot => Dot(a, b),
        Geometry.Euclid => Math.Sqrt(a.Zip(b, (x, y) => ((double)x - y) * ((double)x - y)).Sum()),
        Geometry.Manhattan => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Sum(),
        Geometry.Poincare => Poincare(a, b),
        _ => Lorentz(a, b),
    };

    /// <summary>Qdrant's raw similarity (higher is better): dot, −L2², −L1; −distance for the hyperbolic models.</summary>
    public double Similarity(float[] a, float[] b) => geometry switch
    {
        Geometry.Cosine or Geometry.Dot => Dot(a, b),
        Geometry.Euclid => -a.Zip(b, (x, y) => ((double)x - y) * ((double)x - y)).Sum(),
        Geometry.Manhattan => -a.Zip(b, (x, y) => Math.Abs((double)x - y)).Sum(),
        _ => -Score(a, b),
    };

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private double Poincare(float[] u, float[] v)
    {
        double uu = u.Sum(x => (double)x * x), vv = v.Sum(x => (double)x * x);
        var dd = u.Zip(v, (x, y) => ((double)x - y) * ((double)x - y)).Sum();
        return Math.Acosh(1 + (2 * curvature * dd / ((1 - (curvature * uu)) * (1 - (curvature * vv))))) / Math.Sqrt(curvature);
    }

    private double Lorentz(float[] x, float[] y)
    {
        var inner = -((double)x[0] * y[0]) + x.Skip(1).Zip(y.Skip(1), (a, b) => (double)a * b).Sum();
        return Math.Acosh(Math.Max(1, -curvature * inner)) / Math.Sqrt(curvature);
    }

    /// <summary>The stored form of an input: cosine vectors of unit length (in float, as stored).</summary>
    public float[] Stored(float[] v)
    {
        if (geometry != Geometry.Cosine)
        {
            return v;
        }

        var inv = 1.0 / Math.Sqrt(v.Sum(x => (double)x * x));
        return [.. v.Select(x => (float)(x * inv))];
    }

    /// <summary>A computed vector pulled onto the manifold: into the Poincaré ball, onto the Lorentz hyperboloid (x0 recomputed).</summary>
    public float[] Project(float[] v)
    {
        switch (geometry)
        {
            case Geometry.Poincare:
                var norm = Math.Sqrt(curvature * v.Sum(x => (double)x * x));
                return norm < 1 - 1e-5 ? v : [.. v.Select(x => (float)(x * (1 - 2e-5) / norm))];
            case Geometry.Lorentz:
                var projected = v.ToArray();
                projected[0] = (float)Math.Sqrt((1 / curvature) + v.Skip(1).Sum(x => (double)x * x));
                return projected;
            default:
                return v;
        }
    }

    public static double ScaledSigmoid(double x) => 0.5 * ((x / (1 + Math.Abs(x))) + 1);

    /// <summary>The nearest points to a dense query among those that pass <paramref name="keep"/>.</summary>
    public List<RefHit> Nearest(float[] query, int limit, Func<RefPoint, bool>? keep = null)
    {
        var q = Stored(query);
        return Rank(points.Where(p => p.Dense is not null && (keep?.Invoke(p) ?? true)).Select(p => new RefHit(p.Id, Score(q, p.Dense!))), HigherIsBetter, limit);
    }

    /// <summary>Best first (by score, equal scores by lower id), cut at the limit.</summary>
    public static List<RefHit> Rank(IEnumerable<RefHit> hits, bool higherIsBetter, int limit) =>
        [.. (higherIsBetter ? hits.OrderByDescending(h => h.Score) : hits.OrderBy(h => h.Score)).ThenBy(h => h.Id).Take(limit)];

    /// <summary>The dense vector of an input (a point's stored vector, or the given one as stored).</summary>
    public float[] Vector(VectorInput input) => input.Id is { } id ? Point(id).Dense! : Stored(((DenseVector)input.Vector!).Values);

    public List<RefHit> Recommend(RecommendQuery r, int limit, Func<RefPoint, bool>? keep = null)
    {
        var pos = r.Positive.Select(Vector).ToList();
        var neg = r.Negative.Select(Vector).ToList();
        var excluded = r.Positive.Concat(r.Negative).Where(i => i.Id is not null).Select(i => i.Id!.Value).ToHashSet();
        bool Keep(RefPoint p) => !excluded.Contains(p.Id) && (keep?.Invoke(p) ?? true);
        switch (r.Strategy)
        {
            case RecommendStrategy.AverageVector:
                var avgPos = Mean(pos);
                var target = neg.Count == 0 ? avgPos : [.. avgPos.Zip(Mean(neg), (p, n) => p + p - n)];
                return Nearest(Project(target), limit, Keep);
            case RecommendStrategy.BestScore:
                return Rank(points.Where(Keep).Select(p =>
                {
                    var bestPos = pos.Count == 0 ? double.NegativeInfinity : pos.Max(v => Similarity(v, p.Dense!));
                    var bestNeg = neg.Count == 0 ? double.NegativeInfinity : neg.Max(v => Similarity(v, p.Dense!));
                    return new RefHit(p.Id, bestPos > bestNeg ? ScaledSigmoid(bestPos) : -ScaledSigmoid(bestNeg));
                }), true, limit);
            default:
                return Rank(points.Where(Keep).Select(p => new RefHit(p.Id, pos.Sum(v => Similarity(v, p.Dense!)) - neg.Sum(v => Similarity(v, p.Dense!)))), true, limit);
        }
    }

    private static float[] Mean(List<float[]> vectors) => [.. Enumerable.Range(0, vectors[0].Length).Select(i => vectors.Sum(v => v[i]) / vectors.Count)];

    public List<RefHit> Discover(VectorInput target, IReadOnlyList<ContextPair> pairs, int limit)
    {
        var t = Vector(target);
        var resolved = pairs.Select(p => (Vector(p.Positive), Vector(p.Negative))).ToList();
        var excluded = pairs.SelectMany(p => new[] { p.Positive, p.Negative }).Append(target).Where(i => i.Id is not null).Select(i => i.Id!.Value).ToHashSet();
        return Rank(points.Where(p => !excluded.Contains(p.Id)).Select(p =>
        {
            var rank = resolved.Sum(pair => Math.Sign(Similarity(pair.Item1, p.Dense!) - Similarity(pair.Item2, p.Dense!)));
            return new RefHit(p.Id, rank + ScaledSigmoid(Similarity(t, p.Dense!)));
        }), true, limit);
    }

    public List<RefHit> Context(IReadOnlyList<ContextPair> pairs, int limit)
    {
        var resolved = pairs.Select(p => (Vector(p.Positive), Vector(p.Negative))).ToList();
        var excluded = pairs.SelectMany(p => new[] { p.Positive, p.Negative }).Where(i => i.Id is not null).Select(i => i.Id!.Value).ToHashSet();
        return Rank(points.Where(p => !excluded.Contains(p.Id)).Select(p => new RefHit(p.Id, resolved.Sum(pair =>
        {
            var d = Math.Min(Similarity(pair.Item1, p.Dense!) - Similarity(pair.Item2, p.Dense!) - 1.1920929E-07, 0);
            return d / (1 + Math.Abs(d));
        }))), true, limit);
    }

    /// <summary>RRF: 1 / (position + k) summed over the lists (0-based positions), best first; with weights, 1 / ((position + 1) / w + k − 1).</summary>
    public static List<RefHit> Rrf(IReadOnlyList<List<RefHit>> lists, int limit, int k = 2, double[]? weights = null) =>
        Rank(
            lists.SelectMany((l, li) => l.Select((h, i) =>
            {
                var w = weights?[li] ?? 1;
                return (h.Id, Score: w <= 0 ? 0 : 1.0 / (((i + 1) / w) + k - 1));
            })).GroupBy(x => x.Id).Select(g => new RefHit(g.Key, g.Sum(x => x.Score))),
            true,
            limit);

    /// <summary>DBSF: each list's scores mapped from [mean − 3σ, mean + 3σ] (sample σ) to [0, 1], summed, best first.</summary>
    public static List<RefHit> Dbsf(IEnumerable<List<RefHit>> lists, int limit)
    {
        var normalized = lists.SelectMany(l =>
        {
            if (l.Count < 2)
            {
                return l.Select(h => (h.Id, Score: 0.5));
            }

            var mean = l.Average(h => h.Score);
            var sigma = Math.Sqrt(l.Sum(h => (h.Score - mean) * (h.Score - mean)) / (l.Count - 1));
            return sigma == 0 ? l.Select(h => (h.Id, Score: 0.5)) : l.Select(h => (h.Id, Score: (h.Score - (mean - (3 * sigma))) / (6 * sigma)));
        });
        return Rank(normalized.GroupBy(x => x.Id).Select(g => new RefHit(g.Key, g.Sum(x => x.Score))), true, limit);
    }

    /// <summary>MMR over candidates (best first): the first is the most similar to the query, then λ·sim(q) − (1−λ)·max sim(picked).</summary>
    public List<RefHit> Mmr(float[] query, List<RefHit> candidates, double diversity, int limit)
    {
        var q = Stored(query);
        var lambda = 1 - diversity;
        var left = candidates.ToList();
        var picked = new List<RefHit>();
        while (picked.Count < limit && left.Count > 0)
        {
            var best = left.MaxBy(c => picked.Count == 0
                ? Similarity(q, Point(c.Id).Dense!)
                : (lambda * Similarity(q, Point(c.Id).Dense!)) - ((1 - lambda) * picked.Max(s => Similarity(Point(c.Id).Dense!, Point(s.Id).Dense!))));
            picked.Add(best);
            left.Remove(best);
        }

        return picked;
    }
}
