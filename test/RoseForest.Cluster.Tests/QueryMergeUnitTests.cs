using RoseForest.Cluster.Querying;

namespace RoseForest.Cluster.Tests;

/// <summary>The router's pure merge pieces: sample allocation, fusion, and the engine's result order.</summary>
public class QueryMergeUnitTests
{
    [Fact]
    public void A_sample_is_split_by_shard_sizes_never_beyond_a_shard_and_skips_empty_shards()
    {
        var random = new Random(3);
        long[] counts = [0, 5, 0, 1000, 3];
        var totals = new long[counts.Length];
        for (var round = 0; round < 2000; round++)
        {
            var split = SampleAllocation.Draw(counts, 10, random);
            Assert.Equal(10, split.Sum());
            for (var i = 0; i < counts.Length; i++)
            {
                Assert.InRange(split[i], 0, counts[i]);
                totals[i] += split[i];
            }
        }

        // Uniform over the 1,008 points: each shard gets about its share (5/1008 and 1000/1008 of 20,000).
        Assert.InRange(totals[1], 60, 140);
        Assert.InRange(totals[3], 19_700, 19_900);
        Assert.Equal([2, 0], SampleAllocation.Draw([2, 0], 10, random));
    }

    [Fact]
    public void Rrf_and_dbsf_score_as_the_engine_defines_them()
    {
        static ScoredPoint P(ulong id, double score) => new(id, 0, score, null, null);
        IReadOnlyList<ScoredPoint>[] sources = [[P(1, 0.9), P(2, 0.8)], [P(2, 5), P(3, 1)]];
        var rrf = Fusion.Rrf(sources, 2, null);
        Assert.Equal(1.0 / 2, rrf[1], 12);
        Assert.Equal((1.0 / 3) + (1.0 / 2), rrf[2], 12);
        Assert.Equal(1.0 / 3, rrf[3], 12);
        var weighted = Fusion.Rrf(sources, 2, [2, 0]);
        Assert.Equal(1.0 / ((1 / 2.0) + 1), weighted[1], 12);
        Assert.Equal(0, weighted[3]);

        // DBSF: (s - (mean - 3σ)) / 6σ per source; one point alone scores 0.5.
        var dbsf = Fusion.Dbsf([[P(1, 1), P(2, 3)], [P(3, 7)]]);
        var sigma = Math.Sqrt(2);
        Assert.Equal((1 - (2 - (3 * sigma))) / (6 * sigma), dbsf[1], 12);
        Assert.Equal(0.5, dbsf[3], 12);
    }

    [Fact]
    public void Merging_keeps_the_engine_order_equal_scores_by_lower_id_and_distances_ascending()
    {
        static ScoredPoint P(ulong id, double score) => new(id, 0, score, null, null);
        var cosine = new CollectionOptions { Dimension = 2, Geometry = Geometry.Cosine };
        var euclid = new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid };
        var nearest = new QueryStage { Query = new NearestQuery(new float[] { 1, 0 }) };
        var best = HitOrder.For(nearest, cosine).Merge([[P(5, 0.9), P(2, 0.5)], [P(3, 0.9), P(1, 0.1)]], 3);
        Assert.Equal([3UL, 5UL, 2UL], best.Select(p => p.Id.Number));
        var closest = HitOrder.For(nearest, euclid).Merge([[P(5, 0.1), P(2, 0.5)], [P(3, 0.1), P(1, 2)]], 3);
        Assert.Equal([3UL, 5UL, 2UL], closest.Select(p => p.Id.Number));
        var ordered = HitOrder.For(new QueryStage { Query = new OrderByQuery("n") { Direction = OrderDirection.Desc } }, cosine)
            .Merge([[P(4, 1) with { OrderValue = OrderValue.FromInteger(7) }], [P(2, 1) with { OrderValue = OrderValue.FromInteger(7) }, P(9, 1) with { OrderValue = OrderValue.FromInteger(1) }]], 3);
        Assert.Equal([2UL, 4UL, 9UL], ordered.Select(p => p.Id.Number));
    }
}
