namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Trained coordinates: one row per node, <see cref="Stride"/> doubles each (Poincaré: ball
/// coordinates; Lorentz: x0..xn on the hyperboloid; Euclid: plain coordinates), curvature −c.
/// </summary>
internal sealed class Embedding
{
    public Embedding(EmbeddingModel model, int dimension, double curvature, string[] names, double[] coordinates)
    {
        Model = model;
        Dimension = dimension;
        Curvature = curvature;
        Names = names;
        Coordinates = coordinates;
        if (coordinates.Length != names.Length * Stride)
        {
            throw new ArgumentException($"expected {names.Length} x {Stride} coordinates, got {coordinates.Length}.");
        }
    }

    public EmbeddingModel Model { get; }

    /// <summary>The intrinsic dimension n.</summary>
    public int Dimension { get; }

    public double Curvature { get; }

    public string[] Names { get; }

    public double[] Coordinates { get; }

    public int Count => Names.Length;

    public int Stride => StrideOf(Model, Dimension);

    public static int StrideOf(EmbeddingModel model, int dimension) => model == EmbeddingModel.Lorentz ? dimension + 1 : dimension;

    public ReadOnlySpan<double> Row(int node) => Coordinates.AsSpan(node * Stride, Stride);

    /// <summary>The row as floats, the form a collection stores.</summary>
    public float[] RowAsFloats(int node)
    {
        var row = Row(node);
        var result = new float[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            result[i] = (float)row[i];
        }

        return result;
    }

    /// <summary>The same points, rows reordered to follow <paramref name="names"/> (every name must be present).</summary>
    public Embedding Reorder(IReadOnlyList<string> names)
    {
        var index = new Dictionary<string, int>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            index[Names[i]] = i;
        }

        var coordinates = new double[names.Count * Stride];
        for (var i = 0; i < names.Count; i++)
        {
            if (!index.TryGetValue(names[i], out var from))
            {
                throw new Core.ValidationException("embeddings", $"the embeddings have no row for node '{names[i]}'.");
            }

            Row(from).CopyTo(coordinates.AsSpan(i * Stride, Stride));
        }

        return new Embedding(Model, Dimension, Curvature, [.. names], coordinates);
    }
}
