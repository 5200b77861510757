using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RoseForest.Federated.Randomness;

/// <summary>Randomness from the operating system's CSPRNG (<see cref="RandomNumberGenerator"/>): for production DP noise and client selection.</summary>
public sealed class SecureRandomSource : IRandomSource
{
    /// <summary>The shared instance (stateless and thread-safe).</summary>
    public static SecureRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <inheritdoc/>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc/>
    public double NextGaussian() => RandomSourceExtensions.BoxMuller(NextDouble(), NextDouble());
}
