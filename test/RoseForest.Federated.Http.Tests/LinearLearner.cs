using RoseForest.Federated.Client;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Http.Tests;

/// <summary>
/// A small deterministic learner: linear regression y = w·x + b on its own synthetic data (seeded
/// by the client's index), trained by a few full-batch gradient steps; its result depends only on
/// the global model and the configuration, so runs can be replayed and compared bit for bit.
/// </summary>
internal sealed class LinearLearner : IFederatedClient
{
    public const int Dimension = 4;
    private readonly float[][] _x;
    private readonly float[] _y;

    public LinearLearner(int index, int samples = 20)
    {
        var rng = new Random(1000 + index);
        float[] truth = [1.5f, -2f, 0.5f, 3f];
        _x = [.. Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)((rng.NextDouble() * 2) - 1 + (index * 0.05))).ToArray())];
        _y = [.. _x.Select(x => x.Select((v, i) => v * truth[i]).Sum() + 0.7f + (float)((rng.NextDouble() - 0.5) * 0.1))];
    }

    public int Samples => _y.Length;

    public static ModelParameters InitialModel() => new([new NamedTensor("w", [Dimension], new float[Dimension]), new NamedTensor("b", [], [0f])]);

    public ModelParameters GetParameters() => InitialModel();

    public Task<FitResult> FitAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken)
    {
        var w = (float[])global.Tensors[0].Data.Clone();
        var b = global.Tensors[1].Data[0];
        var mu = config.TryGetValue("proximal_mu", out var m) ? (float)m : 0f;
        const float rate = 0.1f;
        for (var step = 0; step < 5; step++)
        {
            var gw = new float[Dimension];
            var gb = 0f;
            for (var n = 0; n < _y.Length; n++)
            {
                var err = Predict(w, b, _x[n]) - _y[n];
                for (var i = 0; i < Dimension; i++)
                {
                    gw[i] += 2 * err * _x[n][i] / _y.Length;
                }

                gb += 2 * err / _y.Length;
            }

            for (var i = 0; i < Dimension; i++)
            {
                w[i] -= rate * (gw[i] + (mu * (w[i] - global.Tensors[0].Data[i])));
            }

            b -= rate * (gb + (mu * (b - global.Tensors[1].Data[0])));
        }

        var (loss, accuracy) = Score(w, b);
        return Task.FromResult(new FitResult(global.WithFlatValues([.. w, b]), _y.Length, new UpdateMetrics(loss, accuracy)));
    }

    public Task<EvaluateResult> EvaluateAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken)
    {
        var (loss, accuracy) = Score(global.Tensors[0].Data, global.Tensors[1].Data[0]);
        return Task.FromResult(new EvaluateResult(loss, accuracy, _y.Length));
    }

    private static float Predict(float[] w, float b, float[] x) => x.Select((v, i) => v * w[i]).Sum() + b;

    private (float Loss, float Accuracy) Score(float[] w, float b)
    {
        var errors = _x.Select((x, n) => Predict(w, b, x) - _y[n]).ToArray();
        return (errors.Average(e => e * e), errors.Count(e => Math.Abs(e) < 0.5f) / (float)errors.Length);
    }
}
