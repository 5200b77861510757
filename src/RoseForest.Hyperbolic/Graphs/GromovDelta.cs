namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// Gromov's four-point condition: for points x, y, z, w form the three sums
/// d(x,y)+d(z,w), d(x,z)+d(y,w), d(x,w)+d(y,z); δ of the quadruple is half the difference of the
/// two largest. A metric is δ-hyperbolic when no quadruple exceeds δ (trees: δ = 0). The estimate
/// draws <c>points</c> random points, takes all their pairwise distances (graph: breadth-first
/// search from each on the undirected graph, inside the component of the first), and evaluates
/// random quadruples of them.
/// </summary>
internal static class GromovDelta
{
    public static DeltaEstimate ForGraph(Digraph graph, int points = 200, long samples = 200_000, int seed = 1)
    {
        var paths = new ShortestPaths(graph);
        var random = new Random(seed);
        var first = random.Next(graph.NodeCount);
        var fromFirst = paths.From(first);
        var component = Enumerable.Range(0, graph.NodeCount).Where(v => fromFirst[v] >= 0).ToArray();
        random.Shuffle(component);
        var chosen = component.Take(Math.Max(1, Math.Min(points, component.Length))).ToArray();
        var d = new double[chosen.Length, chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            var from = paths.From(chosen[i]);
            for (var j = 0; j < chosen.Length; j++)
            {
                d[i, j] = from[chosen[j]];
            }
        }

        return FromDistances(d, samples, random);
    }

    /// <summary>δ of a set of vectors under the Euclidean distance (or any metric given as <paramref name="distance"/>).</summary>
    public static DeltaEstimate ForVectors(IReadOnlyList<double[]> vectors, Func<double[], double[], double> distance, int points = 200, long samples = 200_000, int seed = 1)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, vectors.Count).ToArray();
        random.Shuffle(order);
        var chosen = order.Take(Math.Min(points, order.Length)).ToArray();
        var d = new double[chosen.Length, chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            for (var j = i + 1; j < chosen.Length; j++)
            {
                d[i, j] = d[j, i] = distance(vectors[chosen[i]], vectors[chosen[j]]);
            }
        }

        return FromDistances(d, samples, random);
    }

    /// <summary>The four-point δ of one quadruple from its six distances.</summary>
    public static double FourPoint(double xy, double zw, double xz, double yw, double xw, double yz)
    {
        var a = xy + zw;
        var b = xz + yw;
        var c = xw + yz;

        // Half the gap between the largest and the middle sum.
        var largest = Math.Max(a, Math.Max(b, c));
        var middle = a + b + c - largest - Math.Min(a, Math.Min(b, c));
        return (largest - middle) / 2;
    }

    private static DeltaEstimate FromDistances(double[,] d, long samples, Random random)
    {
        var n = d.GetLength(0);
        double diameter = 0, sum = 0, sumSquares = 0;
        long pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                diameter = Math.Max(diameter, d[i, j]);
                sum += d[i, j];
                sumSquares += d[i, j] * d[i, j];
                pairs++;
            }
        }

        var mean = pairs > 0 ? sum / pairs : 0;
        var spread = mean > 0 ? Math.Sqrt(Math.Max(0, (sumSquares / pairs) - (mean * mean))) / mean : 0;
        if (n < 4)
        {
            return new DeltaEstimate(n, 0, 0, 0, diameter, spread);
        }

        double delta = 0, deltaSum = 0;
        for (long s = 0; s < samples; s++)
        {
            int x = random.Next(n), y = random.Next(n), z = random.Next(n), w = random.Next(n);
            var q = FourPoint(d[x, y], d[z, w], d[x, z], d[y, w], d[x, w], d[y, z]);
            delta = Math.Max(delta, q);
            deltaSum += q;
        }

        return new DeltaEstimate(n, samples, delta, deltaSum / Math.Max(1, samples), diameter, spread);
    }
}
