using System.Numerics;
using RoseForest.Federated.SecureAggregation;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.SecureAggregation;

public sealed class SecAggTests
{
    private const int Dim = 64;
    private static readonly SecAggOptions Options = new() { Threshold = 3, VectorLength = Dim, ClipRange = 4, ScaleBits = 16 };

    /// <summary>Runs a round with 5 clients; the ones in dropBeforeShares stop after advertising keys, those in dropBeforeMasking after sharing keys.</summary>
    private static (SecAggResult Result, float[][] Inputs, string[] Ids) RunRound(
        string[]? dropBeforeShares = null,
        string[]? dropBeforeMasking = null,
        Func<IReadOnlyList<UnmaskResponse>, IReadOnlyList<UnmaskResponse>>? tamper = null)
    {
        var ids = new[] { "alice", "bob", "carol", "dave", "erin" };
        var inputs = RandomVectors(ids.Length, Dim, seed: 77, scale: 1.0);
        var clients = ids.Select(id => new SecAggClient(id, Options)).ToList();
        try
        {
            var server = new SecAggServer(Options);
            var roster = server.CollectKeys(clients.Select(c => c.AdvertiseKeys()));

            var sharing = clients.Where(c => !(dropBeforeShares ?? []).Contains(c.ClientId)).ToList();
            var routed = server.RouteShares(sharing.Select(c => c.ShareKeys(roster)).ToList());
            foreach (var c in sharing)
            {
                c.ReceiveShares(routed[c.ClientId]);
            }

            var masking = sharing.Where(c => !(dropBeforeMasking ?? []).Contains(c.ClientId)).ToList();
            foreach (var c in masking)
            {
                server.ReceiveMaskedInput(c.MaskInput(inputs[Array.IndexOf(ids, c.ClientId)]));
            }

            var request = server.BeginUnmasking();
            IReadOnlyList<UnmaskResponse> responses = [.. masking.Select(c => c.Unmask(request))];
            return (server.Finish(tamper is null ? responses : tamper(responses)), inputs, ids);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static void AssertSumOf(SecAggResult result, float[][] inputs, string[] ids, IEnumerable<string> contributors)
    {
        var expected = contributors.Select(c => inputs[Array.IndexOf(ids, c)]).ToList();
        Assert.Equal(contributors.Order(StringComparer.Ordinal), result.Contributors);
        var tolerance = expected.Count * 0.5 / 65536.0 + 1e-6; // half a quantization step per input
        for (var i = 0; i < Dim; i++)
        {
            var plain = expected.Sum(x => (double)x[i]);
            Assert.InRange(result.Sum[i], plain - tolerance, plain + tolerance);
        }
    }

    [Fact]
    public void The_aggregate_equals_the_plain_sum_within_quantization()
    {
        var (result, inputs, ids) = RunRound();
        AssertSumOf(result, inputs, ids, ids);
    }

    [Fact]
    public void A_client_that_drops_after_sharing_keys_has_its_pairwise_masks_removed()
    {
        var (result, inputs, ids) = RunRound(dropBeforeMasking: ["bob"]);
        AssertSumOf(result, inputs, ids, ["alice", "carol", "dave", "erin"]);
    }

    [Fact]
    public void Clients_that_drop_at_either_step_leave_the_sum_of_the_rest()
    {
        var (result, inputs, ids) = RunRound(dropBeforeShares: ["erin"], dropBeforeMasking: ["alice"]);
        AssertSumOf(result, inputs, ids, ["bob", "carol", "dave"]);
    }

    [Fact]
    public void Fewer_survivors_than_the_threshold_fail_the_round()
    {
        Assert.Throws<InsufficientSharesException>(() => RunRound(dropBeforeMasking: ["alice", "bob", "carol"]));
    }

    [Fact]
    public void Fewer_unmasking_answers_than_the_threshold_fail_with_a_typed_exception()
    {
        Assert.Throws<InsufficientSharesException>(() => RunRound(tamper: r => [.. r.Take(2)]));
    }

    [Fact]
    public void A_tampered_share_is_detected()
    {
        static UnmaskResponse Corrupt(UnmaskResponse r)
        {
            var self = r.SelfMaskShares.ToDictionary(kv => kv.Key, kv => kv.Value);
            var first = self.Keys.First();
            self[first] = self[first] with { Y = (self[first].Y + 1) % ((BigInteger.One << 521) - 1) };
            return r with { SelfMaskShares = self };
        }

        // With exactly t answers the corrupt share changes the reconstruction (caught by the commitment);
        // with more, it is off the polynomial the others define.
        Assert.Throws<ShareVerificationException>(() => RunRound(tamper: r => [Corrupt(r[0]), .. r.Skip(1).Take(2)]));
        Assert.Throws<ShareVerificationException>(() => RunRound(tamper: r => [.. r.Take(4), Corrupt(r[4])]));
    }

    [Fact]
    public void A_masked_input_does_not_reveal_the_quantized_input()
    {
        using var a = new SecAggClient("a", Options);
        using var b = new SecAggClient("b", Options);
        using var c = new SecAggClient("c", Options);
        var server = new SecAggServer(Options);
        var roster = server.CollectKeys([a.AdvertiseKeys(), b.AdvertiseKeys(), c.AdvertiseKeys()]);
        var routed = server.RouteShares([a.ShareKeys(roster), b.ShareKeys(roster), c.ShareKeys(roster)]);
        a.ReceiveShares(routed["a"]);
        var zeros = new float[Dim];
        var masked = a.MaskInput(zeros);
        Assert.True(masked.Values.Count(v => v == 0) < 3, "the mask covers every coordinate");
    }

    [Fact]
    public void An_altered_encrypted_share_fails_authentication_at_the_recipient()
    {
        using var a = new SecAggClient("a", Options);
        using var b = new SecAggClient("b", Options);
        using var c = new SecAggClient("c", Options);
        var server = new SecAggServer(Options);
        var roster = server.CollectKeys([a.AdvertiseKeys(), b.AdvertiseKeys(), c.AdvertiseKeys()]);
        var routed = server.RouteShares([a.ShareKeys(roster), b.ShareKeys(roster), c.ShareKeys(roster)]);
        var forB = routed["b"].Select(s => s with { Ciphertext = [.. s.Ciphertext] }).ToList();
        forB[0].Ciphertext[3] ^= 0x40;
        Assert.Throws<ShareAuthenticationException>(() => b.ReceiveShares(forB));
    }

    [Fact]
    public void A_client_refuses_to_reveal_both_secrets_of_the_same_peer()
    {
        using var a = new SecAggClient("a", Options);
        using var b = new SecAggClient("b", Options);
        using var c = new SecAggClient("c", Options);
        var server = new SecAggServer(Options);
        var roster = server.CollectKeys([a.AdvertiseKeys(), b.AdvertiseKeys(), c.AdvertiseKeys()]);
        var routed = server.RouteShares([a.ShareKeys(roster), b.ShareKeys(roster), c.ShareKeys(roster)]);
        a.ReceiveShares(routed["a"]);
        a.MaskInput(new float[Dim]);
        Assert.Throws<SecureAggregationException>(() => a.Unmask(new UnmaskRequest(["a", "b", "c"], ["b"])));
    }

    [Fact]
    public void Shamir_shares_reconstruct_from_any_t_and_not_from_fewer()
    {
        var secret = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        var shares = ShamirSecretSharing.Split(secret, 6, 4);
        Assert.Equal(secret, ShamirSecretSharing.Combine([shares[5], shares[1], shares[3], shares[0]], 4, 32));
        Assert.Equal(secret, ShamirSecretSharing.Combine(shares, 4, 32));
        Assert.Throws<InsufficientSharesException>(() => ShamirSecretSharing.Combine(shares[..3], 4, 32));
        Assert.Throws<InsufficientSharesException>(() => ShamirSecretSharing.Combine([shares[0], shares[0], shares[1], shares[2]], 4, 32));
    }

    [Fact]
    public void Options_refuse_a_quantization_that_would_overflow_the_modulus()
    {
        var options = new SecAggOptions { Threshold = 2, VectorLength = 1, ClipRange = 1000, ScaleBits = 20 };
        Assert.Throws<ArgumentException>(() => options.Validate(5));
    }
}
