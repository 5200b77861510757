using System.Buffers.Binary;

namespace RoseForest.Federated.Randomness;

/// <summary>
/// A reproducible generator: xoshiro256** (Blackman and Vigna) seeded through SplitMix64. The
/// same seed gives the same numbers on every platform and .NET version. Not cryptographically
/// secure: use it for tests and simulations, not for production DP noise.
/// </summary>
public sealed class SeededRandomSource : IRestorableRandomSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator from a seed.</summary>
    public SeededRandomSource(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc/>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc/>
    public double NextGaussian() => RandomSourceExtensions.BoxMuller(NextDouble(), NextDouble());

    /// <inheritdoc/>
    public byte[] ExportState()
    {
        var state = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(state, _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(8), _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(16), _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(24), _s3);
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(ReadOnlySpan<byte> state)
    {
        if (state.Length != 32)
        {
            throw new ArgumentException("A xoshiro256** state is 32 bytes.", nameof(state));
        }

        _s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        _s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        _s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        _s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
