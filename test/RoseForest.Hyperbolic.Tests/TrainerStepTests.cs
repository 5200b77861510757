using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>
/// The trainer's SGD step against the papers' update written out plainly (softmax loss over the
/// distances, the published Euclidean gradients, Riemannian SGD one row at a time, the source
/// first, every row stepped at its current value): the fast step must compute the same thing.
/// </summary>
public sealed class TrainerStepTests
{
    private const int Dimension = 10;

    [Theory]
    [InlineData(EmbeddingModel.Lorentz, 0.1)]
    [InlineData(EmbeddingModel.Lorentz, 3.0)] // the source's step is clipped to length 1 and targets leave the series range
    [InlineData(EmbeddingModel.Poincare, 0.1)]
    [InlineData(EmbeddingModel.Poincare, 1.0)]
    [InlineData(EmbeddingModel.Euclid, 0.1)]
    public void One_step_matches_the_papers_update_written_out_plainly(EmbeddingModel model, double learningRate)
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 40).Select(_ => RandomPoint(model, random)).ToArray();
        int[] targets = [3, 7, 12, 12, 20, 39, 1, 25]; // 12 twice: its second step starts from its first
        AssertSameStep(model, rows, 0, targets, learningRate);
    }

    [Fact]
    public void Euclidean_rows_too_far_apart_for_exp_still_train_with_the_shifted_softmax()
    {
        var random = new Random(8);
        var rows = Enumerable.Range(0, 10).Select(_ => RandomPoint(EmbeddingModel.Euclid, random)).ToArray();
        rows[4] = [.. rows[4].Select(x => x + 40)]; // the positive: d = ‖u−v‖² ≈ 16,000, e^{−d} = 0
        rows[5] = [.. rows[5].Select(x => x - 40)];
        AssertSameStep(EmbeddingModel.Euclid, rows, 0, [4, 5, 6, 7], 1e-4);
    }

    private static void AssertSameStep(EmbeddingModel model, double[][] rows, int u, int[] targets, double learningRate)
    {
        var expected = rows.Select(r => r.ToArray()).ToArray();
        var expectedLoss = PlainStep(model, expected, u, targets, learningRate);

        var stride = rows[0].Length;
        var padded = RowMath.Padded(stride);
        var table = new double[rows.Length * padded];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(table.AsSpan(i * padded, stride));
        }

        var loss = model switch
        {
            EmbeddingModel.Lorentz => new HierarchyTrainer.Worker<LorentzKernel>(padded, targets.Length).TrainEdge(table, u, targets, learningRate),
            EmbeddingModel.Poincare => new HierarchyTrainer.Worker<PoincareKernel>(padded, targets.Length).TrainEdge(table, u, targets, learningRate),
            _ => new HierarchyTrainer.Worker<EuclidKernel>(padded, targets.Length).TrainEdge(table, u, targets, learningRate),
        };

        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-10 * (1 + expectedLoss), $"loss {loss}, plainly {expectedLoss}");
        for (var i = 0; i < rows.Length; i++)
        {
            for (var k = 0; k < padded; k++)
            {
                var actual = table[(i * padded) + k];
                var want = k < stride ? expected[i][k] : 0;
                Assert.True(Math.Abs(actual - want) <= 1e-10 * (1 + Math.Abs(want)), $"row {i} coordinate {k}: {actual}, plainly {want}");
            }
        }

        Assert.NotEqual(rows[u], expected[u]); // the step did move the source
    }

    /// <summary>A point a few units from the origin (Poincaré: norm up to 0.9).</summary>
    private static double[] RandomPoint(EmbeddingModel model, Random random)
    {
        var spatial = Enumerable.Range(0, Dimension).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        return model switch
        {
            EmbeddingModel.Lorentz => [Math.Sqrt(1 + spatial.Sum(x => x * x)), .. spatial],
            EmbeddingModel.Poincare => [.. spatial.Select(x => x * 0.9 / Math.Sqrt(Dimension))],
            _ => spatial,
        };
    }

    /// <summary>The update as the papers state it, one formula at a time; returns the loss.</summary>
    private static double PlainStep(EmbeddingModel model, double[][] rows, int u, int[] targets, double learningRate)
    {
        var source = Normalized(model, rows[u]);
        var others = targets.Select(t => Normalized(model, rows[t])).ToArray();
        var distances = others.Select(v => LossDistance(model, source, v)).ToArray();
        var min = distances.Min();
        var z = distances.Sum(d => Math.Exp(min - d));
        var loss = distances[0] - min + Math.Log(z);

        var sourceGradient = new double[source.Length];
        var gradients = new double[targets.Length][];
        for (var j = 0; j < targets.Length; j++)
        {
            var weight = (j == 0 ? 1 : 0) - (Math.Exp(min - distances[j]) / z);
            var (du, dv) = Gradients(model, source, others[j]);
            for (var k = 0; k < source.Length; k++)
            {
                sourceGradient[k] += weight * du[k];
            }

            gradients[j] = [.. dv.Select(x => weight * x)];
        }

        rows[u] = Stepped(model, Normalized(model, rows[u]), sourceGradient, learningRate);
        for (var j = 0; j < targets.Length; j++)
        {
            rows[targets[j]] = Stepped(model, Normalized(model, rows[targets[j]]), gradients[j], learningRate);
        }

        return loss;
    }

    private static double LossDistance(EmbeddingModel model, double[] u, double[] v)
    {
        switch (model)
        {
            case EmbeddingModel.Lorentz:
                return Acosh(-Minkowski(u, v));
            case EmbeddingModel.Poincare:
                var gamma = 1 + (2 * SquaredDistance(u, v) / ((1 - Dot(u, u)) * (1 - Dot(v, v))));
                return Acosh(gamma);
            default:
                return SquaredDistance(u, v);
        }
    }

    /// <summary>∂d/∂u and ∂d/∂v.</summary>
    private static (double[] U, double[] V) Gradients(EmbeddingModel model, double[] u, double[] v)
    {
        switch (model)
        {
            case EmbeddingModel.Lorentz:
            {
                // d = arcosh(−⟨u,v⟩_L): ∂d/∂u = −(∂⟨u,v⟩_L/∂u)/√(z²−1) = (v0, −v1, …, −vn)/√(z²−1).
                var z = -Minkowski(u, v);
                var c = 1 / Math.Sqrt((z * z) - 1);
                return ([.. v.Select((x, i) => i == 0 ? c * x : -c * x)], [.. u.Select((x, i) => i == 0 ? c * x : -c * x)]);
            }

            case EmbeddingModel.Poincare:
                return (PoincareGradient(u, v), PoincareGradient(v, u));
            default:
                return ([.. u.Select((x, i) => 2 * (x - v[i]))], [.. v.Select((x, i) => 2 * (x - u[i]))]);
        }
    }

    /// <summary>Nickel &amp; Kiela 2017, eq. (4): 4/(β√(γ²−1)) · ((‖v‖² − 2⟨u,v⟩ + 1)/α² · u − v/α).</summary>
    private static double[] PoincareGradient(double[] u, double[] v)
    {
        var alpha = 1 - Dot(u, u);
        var beta = 1 - Dot(v, v);
        var gamma = 1 + (2 * SquaredDistance(u, v) / (alpha * beta));
        var c = 4 / (beta * Math.Sqrt((gamma * gamma) - 1));
        var a = (Dot(v, v) - (2 * Dot(u, v)) + 1) / (alpha * alpha);
        return [.. u.Select((x, i) => c * ((a * x) - (v[i] / alpha)))];
    }

    private static double[] Stepped(EmbeddingModel model, double[] x, double[] gradient, double learningRate)
    {
        switch (model)
        {
            case EmbeddingModel.Lorentz:
            {
                // h = g_L⁻¹∇, its projection onto T_x, the step −lr·h clipped to length 1 along the geodesic.
                var h = gradient.Select((g, i) => i == 0 ? -g : g).ToArray();
                var xh = Minkowski(x, h);
                var v = h.Select((g, i) => -learningRate * (g + (xh * x[i]))).ToArray();
                var norm = Math.Sqrt(Minkowski(v, v));
                var t = Math.Min(norm, 1);
                var moved = x.Select((xi, i) => (Math.Cosh(t) * xi) + (Math.Sinh(t) * v[i] / norm)).ToArray();
                return Normalized(model, moved);
            }

            case EmbeddingModel.Poincare:
            {
                var scale = learningRate * Math.Pow(1 - Dot(x, x), 2) / 4;
                return Normalized(model, [.. x.Select((xi, i) => xi - (scale * gradient[i]))]);
            }

            default:
                return [.. x.Select((xi, i) => xi - (learningRate * gradient[i]))];
        }
    }

    private static double[] Normalized(EmbeddingModel model, double[] x)
    {
        switch (model)
        {
            case EmbeddingModel.Lorentz:
                return [Math.Sqrt(1 + x.Skip(1).Sum(c => c * c)), .. x.Skip(1)];
            case EmbeddingModel.Poincare:
                var norm = Math.Sqrt(Dot(x, x));
                var bound = 1 - Manifolds.PoincareBall.BoundaryEpsilon;
                return norm > bound ? [.. x.Select(c => c * bound / norm)] : [.. x];
            default:
                return [.. x];
        }
    }

    private static double Acosh(double z) => Math.Log(z + Math.Sqrt((z * z) - 1));

    private static double Minkowski(double[] a, double[] b) => Dot(a, b) - (2 * a[0] * b[0]);

    private static double Dot(double[] a, double[] b) => a.Select((x, i) => x * b[i]).Sum();

    private static double SquaredDistance(double[] a, double[] b) => a.Select((x, i) => (x - b[i]) * (x - b[i])).Sum();
}
