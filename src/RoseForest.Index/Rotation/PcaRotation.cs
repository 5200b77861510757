using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Index.Rotation;

/// <summary>
/// An orthogonal change of basis whose first <see cref="Rank"/> coordinates are the data's top
/// principal components: squared L2 distances are unchanged, but most of a distance between two
/// data vectors now sits in the leading coordinates, so a kernel that abandons a distance once
/// its partial sum passes the bound stops after a small prefix (the rotation of ADSampling, Gao
/// &amp; Long 2023, and of DDC-PCA, Yang et al. 2025, with the exact partial-sum test instead of
/// their probabilistic one: a partial sum of squares never exceeds the whole, so pruning with it
/// never changes a result). It is stored as <see cref="Rank"/> Householder reflections (the QR
/// factorisation of the principal directions), so rotating a vector costs O(rank · dimension)
/// instead of the dimension² of a full matrix.
/// </summary>
internal sealed class PcaRotation
{
    private readonly float[] _reflections; // Rank unit vectors of Padded floats, each zero before its index

    private PcaRotation(int dimension, int rank, float[] reflections)
    {
        Dimension = dimension;
        Rank = rank;
        Padded = Pad(dimension);
        _reflections = reflections;
    }

    public int Dimension { get; }

    /// <summary>Principal directions moved to the front.</summary>
    public int Rank { get; }

    /// <summary>The dimension rounded up to whole 16-float vectors (the rotation works on buffers this long, zero-padded).</summary>
    public int Padded { get; }

    public static int Pad(int dimension) => (dimension + 15) & ~15;

    /// <summary>Bytes of the reflections (the rotation's whole state).</summary>
    public long BytesAllocated => (long)_reflections.Length * sizeof(float);

    /// <summary>
    /// Fits the rotation to a sample: <paramref name="iterations"/> rounds of subspace iteration on
    /// the centred sample's covariance (never formed: each round multiplies by Xᵀ X),
    /// re-orthonormalised in double, from a seeded random start; then the Householder QR of the
    /// directions found.
    /// </summary>
    public static PcaRotation Fit(IReadOnlyList<float[]> sample, int rank, int iterations = 6, int seed = 17)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sample.Count, 2);
        var dim = sample[0].Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, dim);
        var directions = TopDirections(sample, rank, iterations, seed);
        return new PcaRotation(dim, rank, Householder(directions, dim));
    }

    /// <summary>Rotates <paramref name="vector"/> (<see cref="Padded"/> floats, zero beyond the dimension) in place.</summary>
    public unsafe void Apply(Span<float> vector)
    {
        if (vector.Length < Padded)
        {
            throw new ArgumentException($"expected a buffer of {Padded} floats", nameof(vector));
        }

        fixed (float* x = vector)
        fixed (float* v = _reflections)
        {
            Apply(x, v);
        }
    }

    private unsafe void Apply(float* x, float* reflections)
    {
        var p = Padded;
        for (var j = 0; j < Rank; j++)
        {
            var v = reflections + ((nint)j * p);
            var start = j & ~15;
            if (Vector512.IsHardwareAccelerated)
            {
                // Four accumulators: one would chain every FMA on the previous one's latency,
                // and the reflections are applied one after another.
                var a0 = Vector512<float>.Zero;
                var a1 = Vector512<float>.Zero;
                var a2 = Vector512<float>.Zero;
                var a3 = Vector512<float>.Zero;
                var i = start;
                for (; i + 64 <= p; i += 64)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(v + i), Vector512.Load(x + i), a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Load(v + i + 16), Vector512.Load(x + i + 16), a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Load(v + i + 32), Vector512.Load(x + i + 32), a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Load(v + i + 48), Vector512.Load(x + i + 48), a3);
                }

                for (; i < p; i += 16)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(v + i), Vector512.Load(x + i), a0);
                }

                var scale = Vector512.Create(-2 * Core.Spaces.VectorMath.HorizontalSum((a0 + a1) + (a2 + a3)));
                for (i = start; i < p; i += 16)
                {
                    Vector512.FusedMultiplyAdd(scale, Vector512.Load(v + i), Vector512.Load(x + i)).Store(x + i);
                }
            }
            else
            {
                var dot = 0f;
                for (var i = start; i < p; i++)
                {
                    dot += v[i] * x[i];
                }

                for (var i = start; i < p; i++)
                {
                    x[i] -= 2 * dot * v[i];
                }
            }
        }
    }

    /// <summary>Householder QR of the orthonormal directions: reflection j maps the j-th (already reflected) direction onto ±e_j.</summary>
    private static float[] Householder(double[][] q, int dim)
    {
        var p = Pad(dim);
        var rank = q.Length;
        var a = q.Select(c => (double[])c.Clone()).ToArray();
        var reflections = new float[rank * p];
        var v = new double[dim];
        for (var j = 0; j < rank; j++)
        {
            var col = a[j];
            double norm = 0;
            for (var i = j; i < dim; i++)
            {
                norm += col[i] * col[i];
            }

            norm = Math.Sqrt(norm);
            var alpha = col[j] > 0 ? -norm : norm;
            Array.Clear(v);
            for (var i = j; i < dim; i++)
            {
                v[i] = col[i];
            }

            v[j] -= alpha;
            double vnorm = 0;
            for (var i = j; i < dim; i++)
            {
                vnorm += v[i] * v[i];
            }

            vnorm = Math.Sqrt(vnorm);
            if (vnorm < 1e-12)
            {
                continue; // already ±e_j: the identity
            }

            for (var i = j; i < dim; i++)
            {
                v[i] /= vnorm;
                reflections[(j * p) + i] = (float)v[i];
            }

            for (var c = j; c < rank; c++)
            {
                var other = a[c];
                double dot = 0;
                for (var i = j; i < dim; i++)
                {
                    dot += v[i] * other[i];
                }

                for (var i = j; i < dim; i++)
                {
                    other[i] -= 2 * dot * v[i];
                }
            }
        }

        return reflections;
    }

    private static double[][] TopDirections(IReadOnlyList<float[]> sample, int rank, int iterations, int seed)
    {
        var dim = sample[0].Length;
        var mean = new double[dim];
        foreach (var row in sample)
        {
            for (var j = 0; j < dim; j++)
            {
                mean[j] += row[j];
            }
        }

        var centred = new float[sample.Count][];
        for (var s = 0; s < sample.Count; s++)
        {
            var c = new float[dim];
            for (var j = 0; j < dim; j++)
            {
                c[j] = (float)(sample[s][j] - (mean[j] / sample.Count));
            }

            centred[s] = c;
        }

        var rng = new Random(seed);
        var q = new double[rank][];
        for (var i = 0; i < rank; i++)
        {
            q[i] = new double[dim];
            for (var j = 0; j < dim; j++)
            {
                q[i][j] = rng.NextDouble() - 0.5;
            }
        }

        Orthonormalise(q);
        var qf = new float[rank][];
        var z = new float[rank][];
        var y = new float[rank];
        for (var i = 0; i < rank; i++)
        {
            qf[i] = new float[dim];
            z[i] = new float[dim];
        }

        for (var it = 0; it < iterations; it++)
        {
            for (var i = 0; i < rank; i++)
            {
                for (var j = 0; j < dim; j++)
                {
                    qf[i][j] = (float)q[i][j];
                }

                Array.Clear(z[i]);
            }

            // Z = Xᵀ (X Q), one sample row at a time.
            foreach (var row in centred)
            {
                for (var i = 0; i < rank; i++)
                {
                    y[i] = Dot(row, qf[i]);
                }

                for (var i = 0; i < rank; i++)
                {
                    Axpy(y[i], row, z[i]);
                }
            }

            for (var i = 0; i < rank; i++)
            {
                for (var j = 0; j < dim; j++)
                {
                    q[i][j] = z[i][j];
                }
            }

            Orthonormalise(q);
        }

        return q;
    }

    private static float Dot(float[] a, float[] b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a.AsSpan());
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b.AsSpan());
        var acc = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            acc += va[i] * vb[i];
        }

        var sum = Vector.Sum(acc);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void Axpy(float scale, float[] x, float[] into)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x.AsSpan());
        var vi = MemoryMarshal.Cast<float, Vector<float>>(into.AsSpan());
        var s = new Vector<float>(scale);
        for (var i = 0; i < vx.Length; i++)
        {
            vi[i] += s * vx[i];
        }

        for (var i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            into[i] += scale * x[i];
        }
    }

    /// <summary>Modified Gram-Schmidt in double, run twice (one pass leaves errors of the order of the condition number).</summary>
    private static void Orthonormalise(double[][] q)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < q.Length; i++)
            {
                var v = q[i];
                for (var k = 0; k < i; k++)
                {
                    var u = q[k];
                    double dot = 0;
                    for (var j = 0; j < v.Length; j++)
                    {
                        dot += v[j] * u[j];
                    }

                    for (var j = 0; j < v.Length; j++)
                    {
                        v[j] -= dot * u[j];
                    }
                }

                double norm = 0;
                for (var j = 0; j < v.Length; j++)
                {
                    norm += v[j] * v[j];
                }

                norm = Math.Sqrt(norm);
                if (norm < 1e-300)
                {
                    // A direction the sample does not span: restart it from noise (rank <= dimension,
                    // so a random vector almost surely has a part orthogonal to the others).
                    var rng = new Random(i + (31 * pass));
                    for (var j = 0; j < v.Length; j++)
                    {
                        v[j] = rng.NextDouble() - 0.5;
                    }

                    i--;
                    continue;
                }

                for (var j = 0; j < v.Length; j++)
                {
                    v[j] /= norm;
                }
            }
        }
    }
}
