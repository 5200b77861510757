using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Rotation;
using RoseForest.Index.Storage;

namespace RoseForest.Bench;

/// <summary>
/// Issue 20 experiment (bench only, not in the engine): walk the float graph on int8 codes of the
/// vectors' first <c>rank</c> principal components, then re-rank the best k·oversampling exactly
/// with the float rows. A code row is <c>rank</c> bytes (192 = 3 cache lines) instead of 784
/// floats (49 lines), at the price of a walk that ranks by an approximate distance: the squared
/// distance in the top-<c>rank</c> subspace (a lower bound of the true one), quantized with one
/// step for every coordinate (a per-coordinate offset only, so the code distance stays a scaled
/// Euclidean distance). The stored floats stay unrotated, so the re-rank and any read are exact.
/// </summary>
internal sealed unsafe class PcaCodeWalk : IDisposable
{
    private readonly PcaRotation _rotation;
    private readonly float[] _projection; // Rank rows of Dimension floats: the first Rank rotated coordinates as dot products
    private readonly float[] _offset;
    private readonly float _inverseStep;
    private byte* _codes;

    private PcaCodeWalk(PcaRotation rotation, float[] projection, int rank, float[] offset, float step, int count)
    {
        _rotation = rotation;
        _projection = projection;
        Rank = rank;
        Stride = (rank + 63) & ~63;
        _offset = offset;
        Step = step;
        _inverseStep = 1f / step;
        Count = count;
        _codes = (byte*)NativeMemory.AlignedAlloc((nuint)((long)count * Stride), 64);
        NativeMemory.Clear(_codes, (nuint)((long)count * Stride));
    }

    public int Rank { get; }

    public int Stride { get; }

    public float Step { get; }

    public int Count { get; }

    public long BytesAllocated => ((long)Count * Stride) + ((long)_projection.Length * sizeof(float)) + (_offset.Length * sizeof(float));

    /// <summary>
    /// Fits the rotation on an evenly spaced sample of up to 5,000 rows, projects every row, and
    /// picks the offsets (per-coordinate means) and the one step that covers the
    /// <paramref name="quantile"/> of all centred coordinates' absolute values in 127 steps.
    /// </summary>
    public static PcaCodeWalk Build(VectorStore store, int n, int rank, double quantile = 0.999)
    {
        var step = Math.Max(1, n / 5_000);
        var sample = new List<float[]>();
        for (var i = 0; i < n; i += step)
        {
            sample.Add(store.Get(i).ToArray());
        }

        var rotation = PcaRotation.Fit(sample, rank);
        var dim = store.Dimension;
        var buffer = new float[rotation.Padded];

        // The first rank rotated coordinates are rank dot products: P[j, i] = (Q e_i)_j.
        var projection = new float[rank * dim];
        for (var i = 0; i < dim; i++)
        {
            Array.Clear(buffer);
            buffer[i] = 1;
            rotation.Apply(buffer);
            for (var j = 0; j < rank; j++)
            {
                projection[(j * dim) + i] = buffer[j];
            }
        }

        var projected = new float[n][];
        var mean = new double[rank];
        for (var i = 0; i < n; i++)
        {
            var row = store.Get(i);
            projected[i] = new float[rank];
            Project(projection, row, projected[i]);
            for (var j = 0; j < rank; j++)
            {
                mean[j] += projected[i][j];
            }
        }

        var offset = mean.Select(m => (float)(m / n)).ToArray();
        var magnitudes = new List<float>();
        for (var i = 0; i < n; i += Math.Max(1, n / 2_000))
        {
            for (var j = 0; j < rank; j++)
            {
                magnitudes.Add(Math.Abs(projected[i][j] - offset[j]));
            }
        }

        magnitudes.Sort();
        var cover = magnitudes[(int)Math.Min(magnitudes.Count - 1, Math.Ceiling(quantile * (magnitudes.Count - 1)))];
        var walk = new PcaCodeWalk(rotation, projection, rank, offset, Math.Max(cover / 127f, 1e-12f), n);
        for (var i = 0; i < n; i++)
        {
            walk.Encode(projected[i], walk._codes + ((long)i * walk.Stride));
        }

        return walk;
    }

    private static void Project(float[] projection, ReadOnlySpan<float> x, Span<float> y)
    {
        var dim = x.Length;
        for (var j = 0; j < y.Length; j++)
        {
            y[j] = VectorMath.Dot(projection.AsSpan(j * dim, dim), x);
        }
    }

    /// <summary>Codes of the first <see cref="Rank"/> rotated coordinates; the padding stays zero.</summary>
    private void Encode(ReadOnlySpan<float> projected, byte* codes)
    {
        for (var j = 0; j < Rank; j++)
        {
            var c = (int)MathF.Round(((projected[j] - _offset[j]) * _inverseStep) + 128f);
            codes[j] = (byte)Math.Clamp(c, 0, 255);
        }
    }

    /// <summary>Walks on the codes with beam max(ef, k·oversampling), then re-ranks exactly with the floats.</summary>
    public int Search(HnswGraph graph, float[] query, int k, int ef, double oversampling, Span<Neighbor> output)
    {
        var ctx = SearchContext.Current;
        var candidates = Math.Max(k, (int)Math.Ceiling(k * Math.Max(1, oversampling)));
        Span<float> projected = stackalloc float[Rank];
        Project(_projection, query, projected);
        var queryCodes = ctx.AlignedCodes(Stride);
        NativeMemory.Clear(queryCodes, (nuint)Stride);
        Encode(projected, queryCodes);
        var buffer = ctx.Rerank(candidates);
        var found = graph.Search(new Query(queryCodes, _codes, Stride), candidates, Math.Max(ef, candidates), default(AllowAll), ctx, buffer);

        // Exact re-rank, closest code distance first, into a sorted top k; once k are in, a float
        // distance is abandoned as soon as its partial sum passes the k-th best (exact).
        var vectors = graph.Vectors;
        ref var q = ref ctx.AlignedQuery(query);
        var kept = 0;
        var worst = float.PositiveInfinity;
        for (var i = 0; i < found; i++)
        {
            if (i + 1 < found && Sse.IsSupported)
            {
                var next = (byte*)Unsafe.AsPointer(ref vectors.Row(buffer[i + 1].Slot));
                for (var line = 0; line < 4; line++)
                {
                    Sse.Prefetch0(next + (line * 64));
                }
            }

            var slot = buffer[i].Slot;
            var d = EuclidSpace.ProxyBounded(ref q, ref vectors.Row(slot), vectors.Dimension, 1, 1, worst);
            if (kept == k && d >= worst)
            {
                continue;
            }

            var at = kept < k ? kept++ : k - 1;
            while (at > 0 && output[at - 1].Distance > d)
            {
                output[at] = output[at - 1];
                at--;
            }

            output[at] = new Neighbor(d, slot);
            if (kept == k)
            {
                worst = output[k - 1].Distance;
            }
        }

        return kept;
    }

    public void Dispose()
    {
        if (_codes != null)
        {
            NativeMemory.AlignedFree(_codes);
            _codes = null;
        }
    }

    private readonly struct Query(byte* query, byte* codes, int stride) : IQueryDistance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Distance(int node, float bound) => CodeMath.L2Bounded(query, codes + ((long)node * stride), stride, bound);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(int node)
        {
            if (Sse.IsSupported)
            {
                var row = codes + ((long)node * stride);
                for (var i = 0; i < stride; i += 64)
                {
                    Sse.Prefetch0(row + i);
                }
            }
        }
    }

}
