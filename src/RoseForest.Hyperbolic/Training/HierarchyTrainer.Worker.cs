using System.Runtime.InteropServices;
using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Training;

internal static partial class HierarchyTrainer
{
    /// <summary>
    /// One thread's buffers and its pass over a shard of the edges. The table holds one row per
    /// node, <c>paddedStride</c> doubles each (<see cref="RowMath.Padded"/>, zeros after the coordinates).
    /// </summary>
    internal sealed class Worker<TKernel>(int paddedStride, int negatives)
        where TKernel : struct, IModelKernel
    {
        /// <summary>Below this e^{−d} of the positive the fast softmax could lose precision (Euclid only: hyperbolic distances stay under ~25).</summary>
        private const double MinPositiveScore = 1e-290;

        private readonly int[] _targets = new int[negatives + 1];
        private readonly double[] _aux = new double[negatives + 1];
        private readonly PairTerms[] _terms = new PairTerms[negatives + 1];
        private readonly double[] _weights = new double[negatives + 1];
        private readonly double[] _rows = new double[(negatives + 1) * paddedStride];
        private readonly double[] _source = new double[paddedStride];
        private readonly double[] _mirroredSource = new double[paddedStride];
        private readonly double[] _gradient = new double[paddedStride];
        private readonly double[] _row = new double[paddedStride];

        public double LossSum { get; private set; }

        public void Run(Digraph graph, NegativeSampler sampler, double[] table, ReadOnlySpan<int> edges, int seed, double learningRate, bool burnIn, CancellationToken cancellationToken)
        {
            LossSum = 0;
            var random = new TrainingRandom(seed);
            for (var k = 0; k < edges.Length; k++)
            {
                if ((k & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var e = edges[k];
                var u = graph.EdgeSources[e];
                _targets[0] = graph.EdgeTargets[e];
                var count = 1 + sampler.Sample(u, _targets.AsSpan(1), ref random, burnIn);
                LossSum += TrainEdge(table, u, count, learningRate);
            }
        }

        /// <summary>One SGD step on the loss of edge (u, targets[0]) against the given negatives; returns the loss.</summary>
        public double TrainEdge(double[] table, int u, ReadOnlySpan<int> targets, double learningRate)
        {
            targets.CopyTo(_targets);
            return TrainEdge(table, u, targets.Length, learningRate);
        }

        /// <summary>One SGD step on the loss of edge (u, _targets[0]) against _targets[1..count].</summary>
        private double TrainEdge(double[] table, int u, int count, double learningRate)
        {
            var stride = paddedStride;
            var source = _source.AsSpan();
            RowMath.Copy(table.AsSpan(u * stride, stride), source);
            var sourceAux = TKernel.Normalize(source);

            // Copy every row first: the loads are independent, so their cache misses overlap.
            for (var j = 0; j < count; j++)
            {
                var row = _rows.AsSpan(j * stride, stride);
                RowMath.Copy(table.AsSpan(_targets[j] * stride, stride), row);
                _aux[j] = TKernel.Normalize(row);
            }

            double sum = 0;
            for (var j = 0; j < count; j++)
            {
                _terms[j] = TKernel.Pair(source, sourceAux, _rows.AsSpan(j * stride, stride), _aux[j]);
                sum += _terms[j].Score;
            }

            // loss = −log(e^{−d_0} / Σ e^{−d_j}), and ∂loss/∂d_j = [j is the positive] − p_j.
            double loss;
            if (_terms[0].Score >= MinPositiveScore && double.IsFinite(sum))
            {
                loss = Math.Log(sum / _terms[0].Score);
                for (var j = 0; j < count; j++)
                {
                    _weights[j] = -(_terms[j].Score / sum);
                }
            }
            else
            {
                loss = ShiftedSoftmax(source, count);
            }

            _weights[0] += 1;

            // ∂loss/∂u = Σ w_j (U_j u + Cross_j M v_j).
            var gradient = _gradient.AsSpan();
            gradient.Clear();
            double sourceCoefficient = 0;
            for (var j = 0; j < count; j++)
            {
                sourceCoefficient += _weights[j] * _terms[j].U;
                RowMath.AddScaled(gradient, _weights[j] * _terms[j].Cross, _rows.AsSpan(j * stride, stride));
            }

            TKernel.ApplyMetric(gradient);
            RowMath.AddScaled(gradient, sourceCoefficient, source);
            Update(table, u, gradient, learningRate);

            // ∂loss/∂v_j = w_j (V_j v_j + Cross_j M u), at the rows as they were read (u before its step).
            // A row still as read (the rule with one thread, unless it is drawn twice) takes the
            // step in closed form; one that changed since is stepped from its current value.
            var mirrored = _mirroredSource.AsSpan();
            RowMath.Copy(source, mirrored);
            TKernel.ApplyMetric(mirrored);
            var stepped = _row.AsSpan();
            for (var j = 0; j < count; j++)
            {
                var w = _weights[j];
                var read = _rows.AsSpan(j * stride, stride);
                var shared = table.AsSpan(_targets[j] * stride, stride);
                if (MemoryMarshal.AsBytes(shared).SequenceEqual(MemoryMarshal.AsBytes(read)))
                {
                    var (keep, toward) = TKernel.TargetStep(_terms[j], _aux[j], w, learningRate);
                    RowMath.Combine(keep, read, toward, source, stepped);
                    TKernel.Normalize(stepped);
                    RowMath.Copy(stepped, shared);
                }
                else
                {
                    RowMath.Combine(w * _terms[j].V, read, w * _terms[j].Cross, mirrored, gradient);
                    Update(table, _targets[j], gradient, learningRate);
                }
            }

            return loss;
        }

        /// <summary>
        /// The softmax shifted by the smallest distance, for when e^{−d} underflows (Euclidean rows
        /// far apart): fills −p_j into the weights and returns the loss.
        /// </summary>
        private double ShiftedSoftmax(ReadOnlySpan<double> source, int count)
        {
            var stride = paddedStride;
            var min = double.PositiveInfinity;
            for (var j = 0; j < count; j++)
            {
                _weights[j] = TKernel.LossDistance(source, _rows.AsSpan(j * stride, stride));
                min = Math.Min(min, _weights[j]);
            }

            var d0 = _weights[0];
            double z = 0;
            for (var j = 0; j < count; j++)
            {
                _weights[j] = Math.Exp(min - _weights[j]);
                z += _weights[j];
            }

            for (var j = 0; j < count; j++)
            {
                _weights[j] = -(_weights[j] / z);
            }

            return d0 - min + Math.Log(z);
        }

        /// <summary>
        /// Steps the row's current value (not the copy the gradient was taken at: Hogwild) in a
        /// private buffer and writes it back whole, so readers never see a half-finished step's x0.
        /// </summary>
        private void Update(double[] table, int node, Span<double> gradient, double learningRate)
        {
            var shared = table.AsSpan(node * paddedStride, paddedStride);
            var row = _row.AsSpan();
            RowMath.Copy(shared, row);
            var aux = TKernel.Normalize(row);
            TKernel.Step(row, aux, gradient, learningRate);
            RowMath.Copy(row, shared);
        }
    }
}
