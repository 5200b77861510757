using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Tests.SecureAggregation;

/// <summary>Properties of the building blocks, checked over many seeded random cases.</summary>
public sealed class SecAggPropertyTests
{
    [Fact]
    public void Both_ends_of_a_pair_derive_the_same_mask_seed_and_other_pairs_a_different_one()
    {
        using var a = PairwiseKeys.NewKey();
        using var b = PairwiseKeys.NewKey();
        using var c = PairwiseKeys.NewKey();
        var ab = PairwiseKeys.MaskSeed(a, PairwiseKeys.PublicBytes(b), "a", "b");
        Assert.Equal(ab, PairwiseKeys.MaskSeed(b, PairwiseKeys.PublicBytes(a), "b", "a"));
        Assert.NotEqual(ab, PairwiseKeys.MaskSeed(a, PairwiseKeys.PublicBytes(c), "a", "c"));
        Assert.NotEqual(PairwiseKeys.ChannelKey(a, PairwiseKeys.PublicBytes(b), "a", "b"), PairwiseKeys.ChannelKey(b, PairwiseKeys.PublicBytes(a), "b", "a"));
    }

    [Fact]
    public void Pairwise_masks_cancel_in_the_sum_over_a_pair()
    {
        var seed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var sum = new uint[50];
        SecAggClient.Add(sum, MaskGenerator.Expand(seed, 50), +1);
        Assert.Contains(sum, v => v != 0);
        SecAggClient.Add(sum, MaskGenerator.Expand(seed, 50), -1);
        Assert.All(sum, v => Assert.Equal(0u, v));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Any_t_shares_reconstruct_and_t_minus_one_do_not(int seed)
    {
        var rng = new Random(seed);
        for (var trial = 0; trial < 10; trial++)
        {
            var n = rng.Next(2, 9);
            var t = rng.Next(1, n + 1);
            var secret = new byte[32];
            rng.NextBytes(secret);
            var shares = ShamirSecretSharing.Split(secret, n, t);
            var subset = shares.OrderBy(_ => rng.Next()).Take(t).ToList();
            Assert.Equal(secret, ShamirSecretSharing.Combine(subset, t, 32));
            if (t > 1)
            {
                Assert.Throws<InsufficientSharesException>(() => ShamirSecretSharing.Combine(subset.Take(t - 1).ToList(), t, 32));
            }
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void The_fixed_point_sum_decodes_to_the_real_sum_within_half_a_step_per_input(int seed)
    {
        var rng = new Random(seed);
        const int scaleBits = 12;
        var inputs = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 30).Select(_ => (float)((rng.NextDouble() * 8) - 4)).ToArray()).ToList();
        var sum = new uint[30];
        foreach (var input in inputs)
        {
            SecAggClient.Add(sum, FixedPoint.Encode(input, 4f, scaleBits), +1);
        }

        var decoded = FixedPoint.Decode(sum, scaleBits);
        for (var i = 0; i < 30; i++)
        {
            var exact = inputs.Sum(x => (double)x[i]);
            Assert.InRange(decoded[i], exact - (20 * 0.5 / 4096) - 1e-4, exact + (20 * 0.5 / 4096) + 1e-4);
        }
    }
}
