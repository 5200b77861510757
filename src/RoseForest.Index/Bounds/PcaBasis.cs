using System.Numerics;
using System.Runtime.InteropServices;

namespace RoseForest.Index.Bounds;

/// <summary>
/// An orthonormal basis of the <see cref="Rank"/> directions along which a sample of the data
/// varies most (its top principal components, found by subspace iteration), and the sample's
/// mean. For any orthonormal Q and any mean μ, ‖Qᵀ(a−b)‖² + (‖r_a‖ − ‖r_b‖)² ≤ ‖a−b‖², where
/// r = (I − QQᵀ)(x − μ) is the part of x the basis misses; the better Q fits the data, the closer
/// this lower bound comes to the true distance (the PCA lower bound of Yang et al., "Effective and
/// General Distance Computation for Approximate Nearest Neighbor Search", ICDE 2025, without their
/// learned correction: the bound here is exact, so pruning with it never changes a result).
/// </summary>
internal sealed class PcaBasis
{
    private readonly float[] _directions; // Rank rows of Dimension floats
    private readonly float[] _mean;

    private PcaBasis(int dimension, int rank, float[] directions, float[] mean)
    {
        Dimension = dimension;
        Rank = rank;
        _directions = directions;
        _mean = mean;
    }

    public int Dimension { get; }

    /// <summary>Directions kept (the bound's coordinates, before the residual norm).</summary>
    public int Rank { get; }

    /// <summary>Floats in a projection row: the coordinates, then the residual norm.</summary>
    public int Width => Rank + 1;

    public ReadOnlySpan<float> Direction(int i) => _directions.AsSpan(i * Dimension, Dimension);

    /// <summary>
    /// Fits the basis to a sample: <paramref name="iterations"/> rounds of subspace iteration on
    /// the sample's covariance (never formed: each round multiplies by Xᵀ X), re-orthonormalised in
    /// double by modified Gram-Schmidt, from a seeded random start.
    /// </summary>
    public static PcaBasis Fit(IReadOnlyList<float[]> sample, int rank, int iterations = 8, int seed = 17)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sample.Count, 2);
        var dim = sample[0].Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, dim);

        var mean = new double[dim];
        foreach (var row in sample)
        {
            for (var j = 0; j < dim; j++)
            {
                mean[j] += row[j];
            }
        }

        var meanF = new float[dim];
        for (var j = 0; j < dim; j++)
        {
            meanF[j] = (float)(mean[j] / sample.Count);
        }

        var centred = new float[sample.Count][];
        for (var s = 0; s < sample.Count; s++)
        {
            var c = new float[dim];
            for (var j = 0; j < dim; j++)
            {
                c[j] = sample[s][j] - meanF[j];
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
        var y = new float[rank];
        var z = new float[rank][];
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

        var directions = new float[rank * dim];
        for (var i = 0; i < rank; i++)
        {
            for (var j = 0; j < dim; j++)
            {
                directions[(i * dim) + j] = (float)q[i][j];
            }
        }

        return new PcaBasis(dim, rank, directions, meanF);
    }

    /// <summary>
    /// Writes a vector's projection row: its <see cref="Rank"/> coordinates in the basis, then
    /// the norm of what the basis misses (‖x−μ‖² − Σ coordinates², in double, floored at 0).
    /// </summary>
    public void Project(ReadOnlySpan<float> vector, Span<float> row)
    {
        if (vector.Length != Dimension || row.Length < Width)
        {
            throw new ArgumentException($"expected a {Dimension}-float vector and a row of at least {Width} floats");
        }

        Span<float> centred = Dimension <= 4096 ? stackalloc float[Dimension] : new float[Dimension];
        double norm = 0;
        for (var j = 0; j < Dimension; j++)
        {
            var c = vector[j] - _mean[j];
            centred[j] = c;
            norm += (double)c * c;
        }

        double captured = 0;
        for (var i = 0; i < Rank; i++)
        {
            var coordinate = DotDouble(centred, Direction(i));
            captured += coordinate * coordinate;
            row[i] = (float)coordinate;
        }

        row[Rank] = (float)Math.Sqrt(Math.Max(0, norm - captured));
        row[Width..].Clear();
    }

    private static float Dot(float[] a, float[] b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
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
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
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

    private static double DotDouble(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Modified Gram-Schmidt, run twice (one pass leaves rounding errors of the order of the condition number).</summary>
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
                    // A direction the data does not span: restart it from noise (rank <= dimension,
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
