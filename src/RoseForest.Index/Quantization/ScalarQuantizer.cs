namespace RoseForest.Index.Quantization;

/// <summary>
/// Scalar int8 quantization, one range for all dimensions (as Qdrant's scalar quantization):
/// a value x becomes the byte round((x − low) / step), clipped to 0..255, so x ≈ low + step·code.
/// The range comes from quantiles of the data, so a few outliers do not waste the 256 levels.
/// </summary>
internal sealed class ScalarQuantizer
{
    public ScalarQuantizer(float low, float high)
    {
        if (!(high > low))
        {
            high = low + 1;
        }

        Low = low;
        Step = (high - low) / 255f;
    }

    public float Low { get; }

    public float Step { get; }

    /// <summary>
    /// Chooses the range from the vectors given: the (1−q)/2 and (1+q)/2 quantiles of a sample
    /// of their values (q = 1 keeps the minimum and maximum).
    /// </summary>
    public static ScalarQuantizer Calibrate(IEnumerable<ReadOnlyMemory<float>> vectors, double quantile, int sampleValues = 1 << 20)
    {
        var values = new List<float>();
        var rng = new Random(7);
        long seen = 0;
        foreach (var v in vectors)
        {
            foreach (var x in v.Span)
            {
                // Reservoir sampling keeps the sample uniform however many values there are.
                seen++;
                if (values.Count < sampleValues)
                {
                    values.Add(x);
                }
                else
                {
                    var j = rng.NextInt64(seen);
                    if (j < sampleValues)
                    {
                        values[(int)j] = x;
                    }
                }
            }
        }

        if (values.Count == 0)
        {
            return new ScalarQuantizer(0, 1);
        }

        values.Sort();
        var tail = (1 - Math.Clamp(quantile, 0.5, 1.0)) / 2;
        var lo = values[(int)Math.Floor(tail * (values.Count - 1))];
        var hi = values[(int)Math.Ceiling((1 - tail) * (values.Count - 1))];
        return new ScalarQuantizer(lo, hi);
    }

    /// <summary>Encodes a vector; the padding past its length is zeroed. Returns Σ codes.</summary>
    public int Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        var inv = 1f / Step;
        var sum = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var c = (int)MathF.Round((vector[i] - Low) * inv);
            var b = (byte)Math.Clamp(c, 0, 255);
            codes[i] = b;
            sum += b;
        }

        codes[vector.Length..].Clear();
        return sum;
    }
}
