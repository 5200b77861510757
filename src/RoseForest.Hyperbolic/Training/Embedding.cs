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

    /// <summary>
    /// The rows as floats in the form a RoseForest collection stores and accepts: Poincaré rows are
    /// first pulled to √c‖x‖ ≤ 1 − 2ε so float rounding cannot cross the collection's bound 1 − ε;
    /// Lorentz rows get x0 recomputed from their rounded spatial coordinates so they lie on the sheet.
    /// </summary>
    public float[][] ToCollectionRows()
    {
        var rows = new float[Count][];
        var limit = (1 - (2 * Manifolds.PoincareBall.BoundaryEpsilon)) / Math.Sqrt(Curvature);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = Row(i);
            var scale = 1.0;
            if (Model == EmbeddingModel.Poincare)
            {
                var norm = Math.Sqrt(Manifolds.SpanMath.Dot(row, row));
                scale = norm > limit ? limit / norm : 1;
            }

            rows[i] = new float[row.Length];
            for (var k = 0; k < row.Length; k++)
            {
                rows[i][k] = (float)(row[k] * scale);
            }

            if (Model == EmbeddingModel.Lorentz)
            {
                double spatial = 0;
                for (var k = 1; k < row.Length; k++)
                {
                    spatial += (double)rows[i][k] * rows[i][k];
                }

                rows[i][0] = (float)Math.Sqrt((1 / Curvature) + spatial);
            }
        }

        return rows;
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
