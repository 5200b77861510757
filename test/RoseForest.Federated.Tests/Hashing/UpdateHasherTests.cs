using System.Security.Cryptography;
using System.Text;
using RoseForest.Federated.Hashing;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Tests.Hashing;

public sealed class UpdateHasherTests
{
    // The golden update of docs/federated.md ("Update hash").
    private static ClientUpdate Golden() => new(
        "agent-1",
        3,
        new ModelParameters([new NamedTensor("w", [2], [1.0f, -2.5f]), new NamedTensor("b", [], [0.5f])]),
        10,
        UpdateKind.Parameters,
        new UpdateMetrics(0.25f, 0.75f),
        1_700_000_000_000);

    // The byte form written out by hand, field by field (little-endian).
    private static byte[] GoldenBytesByHand() =>
    [
        0x02, 0x00, 0x00, 0x00,                         // tensor count 2
        0x01, 0x00, 0x00, 0x00, (byte)'w',              // name length 1, "w"
        0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // rank 1, dim 2
        0x00, 0x00, 0x80, 0x3F,                         // 1.0f
        0x00, 0x00, 0x20, 0xC0,                         // -2.5f
        0x01, 0x00, 0x00, 0x00, (byte)'b',              // name length 1, "b"
        0x00, 0x00, 0x00, 0x00,                         // rank 0 (a scalar)
        0x00, 0x00, 0x00, 0x3F,                         // 0.5f
        0x00,                                           // kind: parameters
        0x03, 0x00, 0x00, 0x00,                         // round (version) 3
        0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01, 0x00, 0x00, // timestamp 1_700_000_000_000 = 0x18BCFE56800
        0x00, 0x00, 0x80, 0x3E,                         // loss 0.25f
        0x00, 0x00, 0x40, 0x3F,                         // accuracy 0.75f
        0x0A, 0x00, 0x00, 0x00,                         // samples 10
        .. Encoding.UTF8.GetBytes("agent-1"),           // client id, to the end
    ];

    [Fact]
    public void The_canonical_bytes_are_the_documented_byte_form()
    {
        Assert.Equal(GoldenBytesByHand(), UpdateHasher.CanonicalBytes(Golden()));
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_hand_built_bytes_and_the_golden_hex()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(GoldenBytesByHand()));
        Assert.Equal(expected, UpdateHasher.ComputeHashHex(Golden()));
        Assert.Equal(GoldenHex, UpdateHasher.ComputeHashHex(Golden()));
    }

    [Fact]
    public void Changing_any_hashed_field_changes_the_hash()
    {
        var baseline = UpdateHasher.ComputeHashHex(Golden());
        var g = Golden();
        ClientUpdate[] variants =
        [
            new(g.ClientId, g.Round + 1, g.Tensors, g.SampleCount, g.Kind, g.Metrics, g.TimestampUnixMs),
            new(g.ClientId, g.Round, g.Tensors, g.SampleCount + 1, g.Kind, g.Metrics, g.TimestampUnixMs),
            new(g.ClientId, g.Round, g.Tensors, g.SampleCount, UpdateKind.Delta, g.Metrics, g.TimestampUnixMs),
            new(g.ClientId, g.Round, g.Tensors, g.SampleCount, g.Kind, g.Metrics with { Loss = 0.5f }, g.TimestampUnixMs),
            new(g.ClientId, g.Round, g.Tensors, g.SampleCount, g.Kind, g.Metrics, g.TimestampUnixMs + 1),
            new("agent-2", g.Round, g.Tensors, g.SampleCount, g.Kind, g.Metrics, g.TimestampUnixMs),
            new(g.ClientId, g.Round, new ModelParameters([new NamedTensor("w", [2], [1.0f, -2.5f]), new NamedTensor("c", [], [0.5f])]), g.SampleCount, g.Kind, g.Metrics, g.TimestampUnixMs),
            new(g.ClientId, g.Round, new ModelParameters([new NamedTensor("w", [1, 2], [1.0f, -2.5f]), new NamedTensor("b", [], [0.5f])]), g.SampleCount, g.Kind, g.Metrics, g.TimestampUnixMs),
        ];
        var hashes = variants.Select(UpdateHasher.ComputeHashHex).ToList();
        Assert.DoesNotContain(baseline, hashes);
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    // Verified independently with Python: hashlib.sha256(struct.pack(...) of the fields above).hexdigest().
    private const string GoldenHex = "8c1d4bf7a39f6300d30712758add2278b9ec74a872f3a26a0417e71705c7dd52";
}
