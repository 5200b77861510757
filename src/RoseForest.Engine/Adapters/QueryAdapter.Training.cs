using RoseForest.Core.Spaces;
using RoseForest.Index.Storage;

namespace RoseForest.Engine.Adapters;

/// <summary>One example of a training step: a prepared query, its relevant slots and the slots it is contrasted with.</summary>
internal readonly record struct TrainingExample(float[] Query, int[] Positives, int[] Negatives);

internal sealed partial class QueryAdapter
{
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8;

    // Scratch of one step, reused (steps run one at a time under Gate).
    private float[]? _gA, _gB, _h, _t, _qp, _dq;
    private double[]? _scores, _coef;

    /// <summary>The geometries whose similarity a step can differentiate (hyperbolic ones are refused).</summary>
    public static bool Supports(Geometry geometry) => geometry is Geometry.Cosine or Geometry.Dot or Geometry.Euclid or Geometry.Manhattan;

    /// <summary>
    /// One optimiser step on a batch (the new example first, then replayed ones): multi-positive
    /// InfoNCE on the geometry's similarity of q' to each candidate (cosine, dot, −‖q'−x‖², −‖q'−x‖₁),
    /// with the scores of an example divided by their standard deviation times the temperature (so
    /// one temperature fits every geometry and scale), plus the EWC penalty
    /// λ/2 Σ F (θ − θ*)², then Adam. Returns the new example's loss before the step.
    /// </summary>
    public double Step(ReadOnlySpan<TrainingExample> batch, VectorStore store, Geometry geometry, AdapterOptions options)
    {
        _gA ??= new float[_a.Length];
        _gB ??= new float[_b.Length];
        Array.Clear(_gA);
        Array.Clear(_gB);
        double first = 0;
        for (var e = 0; e < batch.Length; e++)
        {
            var loss = Accumulate(batch[e], store, geometry, (float)options.Temperature);
            if (e == 0)
            {
                first = loss;
            }
        }

        var inv = 1f / batch.Length;
        for (var i = 0; i < _gA.Length; i++)
        {
            _gA[i] *= inv;
            _accA[i] += _gA[i] * _gA[i];
        }

        for (var i = 0; i < _gB.Length; i++)
        {
            _gB[i] *= inv;
            _accB[i] += _gB[i] * _gB[i];
        }

        _accCount++;
        if (_hasAnchor && options.EwcLambda > 0)
        {
            var lambda = (float)options.EwcLambda;
            for (var i = 0; i < _gA.Length; i++)
            {
                _gA[i] += lambda * _fisherA[i] * (_a[i] - _anchorA[i]);
            }

            for (var i = 0; i < _gB.Length; i++)
            {
                _gB[i] += lambda * _fisherB[i] * (_b[i] - _anchorB[i]);
            }
        }

        _adamStep++;
        var lr = options.LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, _adamStep)) / (1 - Math.Pow(Beta1, _adamStep));
        Adam(_a, _gA, _mA, _vA, (float)lr);
        Adam(_b, _gB, _mB, _vB, (float)lr);
        Updates++;
        UpdatesSinceConsolidation++;
        _weights = Snapshot();
        Dirty = true;
        return first;
    }

    private static void Adam(float[] w, float[] g, float[] m, float[] v, float lr)
    {
        for (var i = 0; i < w.Length; i++)
        {
            m[i] = (float)(Beta1 * m[i] + (1 - Beta1) * g[i]);
            v[i] = (float)(Beta2 * v[i] + (1 - Beta2) * g[i] * g[i]);
            w[i] -= lr * m[i] / (MathF.Sqrt(v[i]) + (float)AdamEpsilon);
        }
    }

    /// <summary>Adds one example's gradient to _gA/_gB; returns its loss.</summary>
    private double Accumulate(in TrainingExample example, VectorStore store, Geometry geometry, float temperature)
    {
        int d = Dimension, r = Rank;
        var q = example.Query;
        var h = _h ??= new float[r];
        var t = _t ??= new float[r];
        var qp = _qp ??= new float[d];
        var dq = _dq ??= new float[d];
        var n = example.Positives.Length + example.Negatives.Length;
        if (_scores is null || _scores.Length < n)
        {
            _scores = new double[n];
            _coef = new double[n];
        }

        var scores = _scores;
        var coef = _coef!;

        // Forward: h = A q, q' = q + α B h.
        for (var k = 0; k < r; k++)
        {
            h[k] = VectorMath.Dot(_a.AsSpan(k * d, d), q);
        }

        q.CopyTo(qp, 0);
        for (var k = 0; k < r; k++)
        {
            Axpy(Alpha * h[k], _b.AsSpan(k * d, d), qp);
        }

        var norm = geometry == Geometry.Cosine ? Math.Max(1e-12, Math.Sqrt(VectorMath.Dot(qp, qp))) : 1;
        double mean = 0;
        for (var j = 0; j < n; j++)
        {
            var x = store.Get(Candidate(example, j));
            scores[j] = geometry switch
            {
                Geometry.Cosine => VectorMath.Dot(qp, x) / norm,
                Geometry.Dot => VectorMath.Dot(qp, x),
                Geometry.Euclid => -VectorMath.L2Squared(qp, x),
                _ => -VectorMath.L1(qp, x),
            };
            mean += scores[j];
        }

        mean /= n;
        double variance = 0, largest = 0;
        for (var j = 0; j < n; j++)
        {
            variance += (scores[j] - mean) * (scores[j] - mean);
            largest = Math.Max(largest, Math.Abs(scores[j]));
        }

        // Standardised logits: z = s / (τ σ); σ is held constant in the gradient. Its floor, a
        // thousandth of the scores' size, keeps near-duplicate candidates from blowing the
        // gradient (and the Fisher gathered from it) up by the reciprocal of a rounding error.
        var sigma = Math.Max(Math.Sqrt(variance / n), Math.Max(1e-3 * largest, 1e-9));
        var scale = 1 / (temperature * sigma);
        var positives = example.Positives.Length;
        Array.Clear(coef, 0, n);
        double loss = 0;
        for (var p = 0; p < positives; p++)
        {
            var zp = scores[p] * scale;
            var max = zp;
            for (var j = positives; j < n; j++)
            {
                max = Math.Max(max, scores[j] * scale);
            }

            var sum = Math.Exp(zp - max);
            for (var j = positives; j < n; j++)
            {
                sum += Math.Exp(scores[j] * scale - max);
            }

            var lse = max + Math.Log(sum);
            loss += lse - zp;
            coef[p] += Math.Exp(zp - lse) - 1;
            for (var j = positives; j < n; j++)
            {
                coef[j] += Math.Exp(scores[j] * scale - lse);
            }
        }

        loss /= positives;

        // dL/dq' = Σ_j (dL/dz_j) (dz_j/ds_j) ds_j/dq'.
        Array.Clear(dq);
        double selfTerm = 0;
        for (var j = 0; j < n; j++)
        {
            var c = coef[j] * scale / positives;
            if (c == 0)
            {
                continue;
            }

            var x = store.Get(Candidate(example, j));
            switch (geometry)
            {
                case Geometry.Cosine:
                    Axpy((float)(c / norm), x, dq);
                    selfTerm += c * scores[j];
                    break;
                case Geometry.Dot:
                    Axpy((float)c, x, dq);
                    break;
                case Geometry.Euclid:
                    Axpy((float)(2 * c), x, dq);
                    selfTerm += c;
                    break;
                default:
                    for (var i = 0; i < d; i++)
                    {
                        dq[i] -= (float)c * MathF.Sign(qp[i] - x[i]);
                    }

                    break;
            }
        }

        var self = geometry switch
        {
            Geometry.Cosine => (float)(-selfTerm / (norm * norm)),
            Geometry.Euclid => (float)(-2 * selfTerm),
            _ => 0f,
        };
        if (self != 0)
        {
            Axpy(self, qp, dq);
        }

        // Backward through q' = q + α B (A q): dB = α dq hᵀ (stored transposed: row k += α h_k dq), dA = α (Bᵀ dq) qᵀ.
        for (var k = 0; k < r; k++)
        {
            t[k] = VectorMath.Dot(_b.AsSpan(k * d, d), dq);
            Axpy(Alpha * h[k], dq, _gB.AsSpan(k * d, d));
            Axpy(Alpha * t[k], q, _gA.AsSpan(k * d, d));
        }

        return loss;
    }

    private static int Candidate(in TrainingExample example, int j) =>
        j < example.Positives.Length ? example.Positives[j] : example.Negatives[j - example.Positives.Length];

    /// <summary>y += a x.</summary>
    internal static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            var va = new System.Numerics.Vector<float>(a);
            for (; i <= x.Length - width; i += width)
            {
                var vy = new System.Numerics.Vector<float>(y[i..]);
                (vy + (va * new System.Numerics.Vector<float>(x[i..]))).CopyTo(y[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
