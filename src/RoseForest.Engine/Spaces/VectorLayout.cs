using RoseForest.Engine.Internal;

namespace RoseForest.Engine.Spaces;

/// <summary>
/// A collection's vectors by kind and position, as the write-ahead log and the snapshot codec
/// address them: records name vectors, the table addresses spaces by index.
/// </summary>
internal sealed class VectorLayout
{
    private VectorLayout(string[] dense, int[] denseDims, string[] multi, int[] multiDims, string[] sparse)
    {
        Dense = dense;
        DenseDims = denseDims;
        Multi = multi;
        MultiDims = multiDims;
        Sparse = sparse;
    }

    public string[] Dense { get; }

    public int[] DenseDims { get; }

    public string[] Multi { get; }

    public int[] MultiDims { get; }

    public string[] Sparse { get; }

    /// <summary>True for the classic shape: one unnamed dense vector and nothing else (kind-1 log records).</summary>
    public bool IsUnnamedOnly => Dense is [""] && Multi.Length == 0 && Sparse.Length == 0;

    public static VectorLayout From(CollectionOptions options)
    {
        var dense = new List<(string, int)>();
        var multi = new List<(string, int)>();
        foreach (var (name, p) in options.DenseVectors)
        {
            (p.Multivector is null ? dense : multi).Add((name, p.Size));
        }

        return new VectorLayout(
            [.. dense.Select(d => d.Item1)],
            [.. dense.Select(d => d.Item2)],
            [.. multi.Select(m => m.Item1)],
            [.. multi.Select(m => m.Item2)],
            [.. options.SparseVectors.Keys.Order(StringComparer.Ordinal)]);
    }

    public PreparedVectors NewPoint() => new(Dense.Length, Multi.Length, Sparse.Length);
}
