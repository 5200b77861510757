using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Bench.Data;

/// <summary>
/// How the training set is split among clients: IID (a shuffle cut into equal parts) or
/// label-skewed by Dirichlet(β) as NIID-Bench's <c>noniid-labeldir</c> does it: for each class,
/// proportions p ~ Dir(β·1) over the clients (a client already holding N/n samples gets no more
/// of it), redrawn until every client holds at least 10 samples.
/// </summary>
internal static class Partitions
{
    public static int[][] Iid(int samples, int clients, ulong seed)
    {
        var order = Enumerable.Range(0, samples).ToArray();
        new SeededRandomSource(seed).Shuffle(order);
        return [.. Enumerable.Range(0, clients).Select(c => order.Where((_, i) => i % clients == c).ToArray())];
    }

    public static int[][] Dirichlet(byte[] labels, int clients, double beta, ulong seed)
    {
        var random = new SeededRandomSource(seed);
        var classes = labels.Max() + 1;
        while (true)
        {
            var parts = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
            for (var k = 0; k < classes; k++)
            {
                var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == k).ToArray();
                random.Shuffle(members);
                var p = Enumerable.Range(0, clients).Select(_ => Gamma(random, beta)).ToArray();
                for (var c = 0; c < clients; c++)
                {
                    p[c] = parts[c].Count < labels.Length / clients ? p[c] : 0;
                }

                var total = p.Sum();
                var (start, cumulative) = (0, 0.0);
                for (var c = 0; c < clients; c++)
                {
                    cumulative += p[c];
                    var end = c == clients - 1 ? members.Length : Math.Min(members.Length, (int)(cumulative / total * members.Length));
                    parts[c].AddRange(members[start..end]);
                    start = end;
                }
            }

            if (parts.All(part => part.Count >= 10))
            {
                return [.. parts.Select(part => part.ToArray())];
            }
        }
    }

    /// <summary>A Gamma(shape, 1) draw (Marsaglia and Tsang; shape &lt; 1 by the boost u^(1/shape)).</summary>
    private static double Gamma(IRandomSource random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = random.NextGaussian();
                v = 1 + (c * x);
            }
            while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }
}
