using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Training;

internal static partial class HierarchyTrainer
{
    /// <summary>One thread's buffers and its pass over a shard of the edges.</summary>
    private sealed class Worker<TKernel>(int stride, int negatives)
        where TKernel : struct, IModelKernel
    {
        private readonly int[] _targets = new int[negatives + 1];
        private readonly double[] _distances = new double[negatives + 1];
        private readonly double[] _rows = new double[(negatives + 1) * stride];
        private readonly double[] _gradients = new double[(negatives + 1) * stride];
        private readonly double[] _source = new double[stride];
        private readonly double[] _sourceGradient = new double[stride];
        private readonly double[] _row = new double[stride];

        public double LossSum { get; private set; }

        public void Run(Digraph graph, NegativeSampler sampler, double[] table, ReadOnlySpan<int> edges, Random random, double learningRate, bool burnIn, CancellationToken cancellationToken)
        {
            LossSum = 0;
            for (var k = 0; k < edges.Length; k++)
            {
                if ((k & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var e = edges[k];
                var u = graph.EdgeSources[e];
                _targets[0] = graph.EdgeTargets[e];
                var count = 1 + sampler.Sample(u, _targets.AsSpan(1), random, burnIn);
                LossSum += TrainEdge(table, u, count, learningRate);
            }
        }

        /// <summary>One SGD step on the loss of edge (u, targets[0]) against targets[1..count].</summary>
        private double TrainEdge(double[] table, int u, int count, double learningRate)
        {
            var source = _source.AsSpan();
            table.AsSpan(u * stride, stride).CopyTo(source);
            TKernel.Normalize(source);
            double min = double.PositiveInfinity;
            for (var j = 0; j < count; j++)
            {
                var row = _rows.AsSpan(j * stride, stride);
                table.AsSpan(_targets[j] * stride, stride).CopyTo(row);
                TKernel.Normalize(row);
                _distances[j] = TKernel.LossDistance(source, row);
                min = Math.Min(min, _distances[j]);
            }

            // Softmax over −d, shifted by the smallest distance for stability.
            double z = 0;
            for (var j = 0; j < count; j++)
            {
                z += Math.Exp(min - _distances[j]);
            }

            var loss = _distances[0] - min + Math.Log(z);
            var sourceGradient = _sourceGradient.AsSpan();
            sourceGradient.Clear();
            _gradients.AsSpan(0, count * stride).Clear();
            for (var j = 0; j < count; j++)
            {
                // loss = d_0 + log Σ e^{−d_j}, so ∂loss/∂d_j = [j is the positive] − p_j.
                var weight = (j == 0 ? 1 : 0) - (Math.Exp(min - _distances[j]) / z);
                TKernel.AddGradient(source, _rows.AsSpan(j * stride, stride), weight, sourceGradient, _gradients.AsSpan(j * stride, stride));
            }

            Update(table, u, sourceGradient, learningRate);
            for (var j = 0; j < count; j++)
            {
                Update(table, _targets[j], _gradients.AsSpan(j * stride, stride), learningRate);
            }

            return loss;
        }

        /// <summary>
        /// Steps the row's current value (not the copy the gradient was taken at: Hogwild) in a
        /// private buffer and writes it back whole, so readers never see a half-finished step's x0.
        /// </summary>
        private void Update(double[] table, int node, Span<double> gradient, double learningRate)
        {
            var shared = table.AsSpan(node * stride, stride);
            var row = _row.AsSpan();
            shared.CopyTo(row);
            TKernel.Normalize(row);
            TKernel.Step(row, gradient, learningRate);
            row.CopyTo(shared);
        }
    }
}
