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

    /// <summary>A layout of the given names and sizes (a log record's own, for reading it after the collection's vectors changed).</summary>
    public static VectorLayout Of(List<(string Name, int Dim)> dense, List<(string Name, int Dim)> multi, List<string> sparse) =>
        new([.. dense.Select(d => d.Name)], [.. dense.Select(d => d.Dim)], [.. multi.Select(m => m.Name)], [.. multi.Select(m => m.Dim)], [.. sparse]);

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

    /// <summary>The spaces behind the names, when this layout is a table's (null for one read from a config).</summary>
    public DenseSpace[]? DenseSpaces { get; private init; }

    public MultiSpace[]? MultiSpaces { get; private init; }

    public SparseSpace[]? SparseSpaces { get; private init; }

    /// <summary>A table's layout: its spaces in order, with their names and sizes.</summary>
    public static VectorLayout Of(DenseSpace[] dense, MultiSpace[] multi, SparseSpace[] sparse) =>
        new([.. dense.Select(d => d.Name)], [.. dense.Select(d => d.Dimension)], [.. multi.Select(m => m.Name)], [.. multi.Select(m => m.Dimension)], [.. sparse.Select(s => s.Name)])
        {
            DenseSpaces = dense,
            MultiSpaces = multi,
            SparseSpaces = sparse,
        };

    /// <summary>An empty point of this layout (it remembers the layout, so a write prepared before the collection's vectors changed can be re-addressed).</summary>
    public PreparedVectors NewPoint() => new(Dense.Length, Multi.Length, Sparse.Length) { Layout = this };
}
