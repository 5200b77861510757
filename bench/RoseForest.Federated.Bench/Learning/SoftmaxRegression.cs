using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Bench.Learning;

/// <summary>Multinomial logistic regression: logits = W·x + b, W 10×784 (row-major), then b.</summary>
internal sealed class SoftmaxRegression : IClassifier
{
    private const int D = FashionData.Features;
    private const int K = FashionData.Classes;

    public string Name => "softmax regression (7,850 parameters)";

    public ModelParameters Layout { get; } = new([new NamedTensor("linear.weight", [K, D], new float[K * D]), new NamedTensor("linear.bias", [K], new float[K])]);

    public int ScratchLength => K;

    public float[] Initial(ulong seed)
    {
        var random = new SeededRandomSource(seed);
        var p = new float[(K * D) + K];
        for (var i = 0; i < K * D; i++)
        {
            p[i] = (float)(random.NextGaussian() * 0.01);
        }

        return p;
    }

    public float AccumulateGradient(float[] p, float[] x, int label, float[] g, float[] scratch)
    {
        Logits(p, x, scratch);
        var loss = Mlp.SoftmaxInPlace(scratch, label);
        for (var k = 0; k < K; k++)
        {
            var d = scratch[k] - (k == label ? 1f : 0f);
            VectorOps.AddScaled(g.AsSpan(k * D, D), d, x);
            g[(K * D) + k] += d;
        }

        return loss;
    }

    public int Predict(float[] p, float[] x, float[] scratch)
    {
        Logits(p, x, scratch);
        return Array.IndexOf(scratch, scratch.Max());
    }

    private static void Logits(float[] p, float[] x, float[] logits)
    {
        for (var k = 0; k < K; k++)
        {
            logits[k] = VectorOps.Dot(p.AsSpan(k * D, D), x) + p[(K * D) + k];
        }
    }
}
