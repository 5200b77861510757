using RoseForest.Embeddings.Sparse;

namespace RoseForest.Embeddings.Tests;

public class SparseVectorTests
{
    [Fact]
    public void Dot_merges_the_shared_indices()
    {
        var a = new SparseVector([1, 5, 9], [1f, 2f, 3f]);
        var b = new SparseVector([0, 5, 9, 12], [7f, 10f, 100f, 1f]);
        Assert.Equal(2 * 10 + 3 * 100, a.Dot(b));
        Assert.Equal(a.Dot(b), b.Dot(a));
        Assert.Equal(0, a.Dot(SparseVector.Empty));
    }

    [Fact]
    public void Indexer_reads_present_and_absent_dimensions()
    {
        var a = new SparseVector([3, 4_000_000_000], [0.5f, 2f]);
        Assert.Equal(0.5f, a[3]);
        Assert.Equal(2f, a[4_000_000_000]);
        Assert.Equal(0f, a[7]);
    }

    [Fact]
    public void Unsorted_repeated_or_mismatched_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SparseVector([2, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new SparseVector([1, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new SparseVector([1, 2], [1f]));
    }
}
