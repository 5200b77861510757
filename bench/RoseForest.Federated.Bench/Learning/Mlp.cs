using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Bench.Learning;

/// <summary>A one-hidden-layer perceptron 784 → H (ReLU) → 10, He-initialised; parameters W1 (H×784), b1, W2 (10×H), b2.</summary>
internal sealed class Mlp(int hidden) : IClassifier
{
    private const int D = FashionData.Features;
    private const int K = FashionData.Classes;
    private readonly int _h = hidden;

    public string Name => $"MLP 784-{_h}-10 ({ParameterCount:N0} parameters)";

    public int ParameterCount => (_h * D) + _h + (K * _h) + K;

    public ModelParameters Layout => new([
        new NamedTensor("fc1.weight", [_h, D], new float[_h * D]),
        new NamedTensor("fc1.bias", [_h], new float[_h]),
        new NamedTensor("fc2.weight", [K, _h], new float[K * _h]),
        new NamedTensor("fc2.bias", [K], new float[K])]);

    public int ScratchLength => (2 * _h) + K;

    private int B1 => _h * D;

    private int W2 => B1 + _h;

    private int B2 => W2 + (K * _h);

    public float[] Initial(ulong seed)
    {
        var random = new SeededRandomSource(seed);
        var p = new float[ParameterCount];
        var s1 = Math.Sqrt(2.0 / D);
        var s2 = Math.Sqrt(2.0 / _h);
        for (var i = 0; i < B1; i++)
        {
            p[i] = (float)(random.NextGaussian() * s1);
        }

        for (var i = W2; i < B2; i++)
        {
            p[i] = (float)(random.NextGaussian() * s2);
        }

        return p;
    }

    public float AccumulateGradient(float[] p, float[] x, int label, float[] g, float[] scratch)
    {
        var hidden = scratch.AsSpan(0, _h);
        var back = scratch.AsSpan(_h, _h);
        var logits = scratch.AsSpan(2 * _h, K);
        Forward(p, x, hidden, logits);
        var loss = SoftmaxInPlace(logits, label);
        back.Clear();
        for (var k = 0; k < K; k++)
        {
            var d = logits[k] - (k == label ? 1f : 0f);
            VectorOps.AddScaled(g.AsSpan(W2 + (k * _h), _h), d, hidden);
            g[B2 + k] += d;
            VectorOps.AddScaled(back, d, p.AsSpan(W2 + (k * _h), _h));
        }

        for (var j = 0; j < _h; j++)
        {
            if (hidden[j] > 0)
            {
                VectorOps.AddScaled(g.AsSpan(j * D, D), back[j], x);
                g[B1 + j] += back[j];
            }
        }

        return loss;
    }

    public int Predict(float[] p, float[] x, float[] scratch)
    {
        var logits = scratch.AsSpan(2 * _h, K);
        Forward(p, x, scratch.AsSpan(0, _h), logits);
        var best = 0;
        for (var k = 1; k < K; k++)
        {
            best = logits[k] > logits[best] ? k : best;
        }

        return best;
    }

    /// <summary>Turns logits into probabilities in place and returns −log p[label].</summary>
    public static float SoftmaxInPlace(Span<float> z, int label)
    {
        var max = float.MinValue;
        foreach (var v in z)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        for (var k = 0; k < z.Length; k++)
        {
            z[k] = MathF.Exp(z[k] - max);
            sum += z[k];
        }

        for (var k = 0; k < z.Length; k++)
        {
            z[k] = (float)(z[k] / sum);
        }

        return -MathF.Log(Math.Max(z[label], 1e-30f));
    }

    private void Forward(float[] p, float[] x, Span<float> hidden, Span<float> logits)
    {
        for (var j = 0; j < _h; j++)
        {
            hidden[j] = Math.Max(0f, VectorOps.Dot(p.AsSpan(j * D, D), x) + p[B1 + j]);
        }

        for (var k = 0; k < K; k++)
        {
            logits[k] = VectorOps.Dot(p.AsSpan(W2 + (k * _h), _h), hidden) + p[B2 + k];
        }
    }
}
