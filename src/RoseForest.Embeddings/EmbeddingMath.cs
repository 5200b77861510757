namespace RoseForest.Embeddings;

/// <summary>Small vector helpers shared by the embedders and their callers.</summary>
public static class EmbeddingMath
{
    /// <summary>Scales <paramref name="vector"/> to unit L2 length in place; a zero vector stays zero.</summary>
    /// <returns>The length before scaling.</returns>
    public static double NormalizeInPlace(Span<float> vector)
    {
        double sumOfSquares = 0;
        foreach (float x in vector)
        {
            sumOfSquares += (double)x * x;
        }
        double length = Math.Sqrt(sumOfSquares);
        if (length > 0)
        {
            double scale = 1 / length;
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] * scale);
            }
        }
        return length;
    }

    /// <summary>The cosine of the angle between two vectors of one length; 0 when either is zero.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}", nameof(b));
        }
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : dot / Math.Sqrt(aa * bb);
    }

    /// <summary>The L2 length of a vector.</summary>
    public static double Length(ReadOnlySpan<float> vector)
    {
        double sumOfSquares = 0;
        foreach (float x in vector)
        {
            sumOfSquares += (double)x * x;
        }
        return Math.Sqrt(sumOfSquares);
    }
}
