using System.Diagnostics;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Evaluation;

/// <summary>
/// Mean rank and MAP as the reference implementation computes them. For each node u with
/// out-edges, every other node w is ranked by d(u, w). The rank of a true neighbour v is 1 + the
/// number of non-neighbours strictly closer than v (other neighbours do not push it down); mean
/// rank averages over edges. The average precision of u is the mean, over its neighbours v, of the
/// precision at v's distance, counting every node at distance ≤ d(u,v) as retrieved (so ties are
/// scored as scikit-learn's average_precision_score scores them); MAP averages over the nodes.
/// </summary>
internal static class ReconstructionEvaluator
{
    public static ReconstructionReport Evaluate(Digraph graph, Embedding embedding, int threads = 0, CancellationToken cancellationToken = default)
    {
        if (embedding.Count != graph.NodeCount || !embedding.Names.AsSpan().SequenceEqual(graph.Names))
        {
            embedding = embedding.Reorder(graph.Names);
        }

        return embedding.Model switch
        {
            EmbeddingModel.Poincare => Evaluate<PoincareKernel>(graph, embedding, threads, cancellationToken),
            EmbeddingModel.Lorentz => Evaluate<LorentzKernel>(graph, embedding, threads, cancellationToken),
            _ => Evaluate<EuclidKernel>(graph, embedding, threads, cancellationToken),
        };
    }

    private static ReconstructionReport Evaluate<TKernel>(Digraph graph, Embedding embedding, int threads, CancellationToken cancellationToken)
        where TKernel : struct, IModelKernel
    {
        var started = Stopwatch.GetTimestamp();
        var n = graph.NodeCount;
        var stride = embedding.Stride;
        var table = embedding.Coordinates;
        var aux = new double[n];
        for (var i = 0; i < n; i++)
        {
            aux[i] = TKernel.Aux(embedding.Row(i));
        }

        var sources = Enumerable.Range(0, n).Where(u => graph.OutDegree(u) > 0).ToArray();
        double rankSum = 0, apSum = 0;
        long edges = 0;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, sources.Length, 64),
            options,
            () => (Scratch: new Scratch(n), Rank: 0.0, Ap: 0.0, Edges: 0L),
            (range, _, local) =>
            {
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    var (rank, ap, count) = RankNode<TKernel>(graph, table, aux, stride, sources[k], local.Scratch);
                    local.Rank += rank;
                    local.Ap += ap;
                    local.Edges += count;
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    rankSum += local.Rank;
                    apSum += local.Ap;
                    edges += local.Edges;
                }
            });

        return new ReconstructionReport(rankSum / Math.Max(1, edges), apSum / Math.Max(1, sources.Length), sources.Length, edges, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Ranks everything from u: returns (Σ ranks of u's neighbours, AP of u, neighbour count).</summary>
    private static (double RankSum, double AveragePrecision, int Count) RankNode<TKernel>(Digraph graph, double[] table, double[] aux, int stride, int u, Scratch s)
        where TKernel : struct, IModelKernel
    {
        var neighbours = graph.OutNeighbours(u);
        var k = neighbours.Length;
        var source = table.AsSpan(u * stride, stride);
        var keys = s.NeighbourKeys.AsSpan(0, k);
        for (var i = 0; i < k; i++)
        {
            var v = neighbours[i];
            keys[i] = TKernel.RankKey(source, table.AsSpan(v * stride, stride), aux[v]);
        }

        keys.Sort();
        var strictly = s.Strictly.AsSpan(0, k + 1);
        var atMost = s.AtMost.AsSpan(0, k + 1);
        strictly.Clear();
        atMost.Clear();
        var next = 0; // neighbours are sorted, so walk them alongside the node numbers
        for (var w = 0; w < graph.NodeCount; w++)
        {
            if (next < k && neighbours[next] == w)
            {
                next++;
                continue;
            }

            if (w == u)
            {
                continue;
            }

            var key = TKernel.RankKey(source, table.AsSpan(w * stride, stride), aux[w]);

            // w is strictly closer than the neighbours from UpperBound(key) on, and retrieved at
            // the distance of the neighbours from LowerBound(key) on.
            strictly[UpperBound(keys, key)]++;
            atMost[LowerBound(keys, key)]++;
        }

        double rankSum = 0, precisionSum = 0;
        long closer = 0, retrieved = 0;
        for (var i = 0; i < k; i++)
        {
            closer += strictly[i];
            retrieved += atMost[i];
            rankSum += 1 + closer;

            // Precision at threshold keys[i]: neighbours with key ≤ keys[i] over everything with key ≤ keys[i].
            var hits = UpperBound(keys, keys[i]);
            precisionSum += hits / (double)(hits + retrieved);
        }

        return (rankSum, precisionSum / k, k);
    }

    private static int UpperBound(ReadOnlySpan<double> sorted, double key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class Scratch(int n)
    {
        public double[] NeighbourKeys { get; } = new double[n];

        public long[] Strictly { get; } = new long[n + 1];

        public long[] AtMost { get; } = new long[n + 1];
    }
}
