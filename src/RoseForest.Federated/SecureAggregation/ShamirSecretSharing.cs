using System.Numerics;
using System.Security.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>
/// Shamir's t-of-n secret sharing over the prime field GF(p), p = 2⁵²¹ − 1 (a Mersenne prime), so
/// a 32-byte secret is one field element. The dealer's polynomial has the secret as constant
/// term and t − 1 uniformly random coefficients; any t shares recover it by Lagrange
/// interpolation at 0, fewer reveal nothing.
/// </summary>
internal static class ShamirSecretSharing
{
    public static readonly BigInteger Prime = (BigInteger.One << 521) - 1;

    /// <summary>The byte length of a serialized field element.</summary>
    public const int ElementBytes = 66;

    public static ShamirShare[] Split(ReadOnlySpan<byte> secret, int shares, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shares, threshold);
        if (secret.Length > 64)
        {
            throw new ArgumentException("Secrets of up to 64 bytes fit the field.", nameof(secret));
        }

        var coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(secret, isUnsigned: true, isBigEndian: false);
        for (var k = 1; k < threshold; k++)
        {
            coefficients[k] = RandomElement();
        }

        var result = new ShamirShare[shares];
        for (var x = 1; x <= shares; x++)
        {
            var y = BigInteger.Zero;
            for (var k = threshold - 1; k >= 0; k--)
            {
                y = ((y * x) + coefficients[k]) % Prime;
            }

            result[x - 1] = new ShamirShare(x, y);
        }

        return result;
    }

    /// <summary>The secret (as <paramref name="secretLength"/> bytes) from at least <paramref name="threshold"/> shares with distinct points.</summary>
    /// <exception cref="InsufficientSharesException">Fewer than t distinct shares.</exception>
    /// <exception cref="ShareVerificationException">The shares beyond the first t do not lie on the same polynomial.</exception>
    public static byte[] Combine(IReadOnlyList<ShamirShare> shares, int threshold, int secretLength)
    {
        var distinct = shares.DistinctBy(s => s.X).ToList();
        if (distinct.Count < threshold)
        {
            throw new InsufficientSharesException($"{distinct.Count} shares cannot reconstruct a secret shared with threshold {threshold}.");
        }

        var basis = distinct.Take(threshold).ToList();
        foreach (var extra in distinct.Skip(threshold))
        {
            if (Interpolate(basis, extra.X) != extra.Y)
            {
                throw new ShareVerificationException($"Share {extra.X} is inconsistent with the others.");
            }
        }

        var secret = Interpolate(basis, 0);
        var bytes = secret.ToByteArray(isUnsigned: true, isBigEndian: false);
        if (bytes.Length > secretLength)
        {
            throw new ShareVerificationException("The reconstructed value is not a secret of the expected length; a share is corrupt.");
        }

        var padded = new byte[secretLength];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    public static byte[] ToBytes(BigInteger element)
    {
        var bytes = new byte[ElementBytes];
        element.ToByteArray(isUnsigned: true, isBigEndian: false).CopyTo(bytes, 0);
        return bytes;
    }

    public static BigInteger FromBytes(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    /// <summary>The polynomial through the points, evaluated at x (Lagrange).</summary>
    private static BigInteger Interpolate(IReadOnlyList<ShamirShare> points, int x)
    {
        var result = BigInteger.Zero;
        for (var i = 0; i < points.Count; i++)
        {
            var numerator = BigInteger.One;
            var denominator = BigInteger.One;
            for (var j = 0; j < points.Count; j++)
            {
                if (i != j)
                {
                    numerator = numerator * Mod(x - points[j].X) % Prime;
                    denominator = denominator * Mod(points[i].X - points[j].X) % Prime;
                }
            }

            var term = points[i].Y * numerator % Prime * BigInteger.ModPow(denominator, Prime - 2, Prime) % Prime;
            result = (result + term) % Prime;
        }

        return result;
    }

    private static BigInteger Mod(BigInteger value) => ((value % Prime) + Prime) % Prime;

    private static BigInteger RandomElement()
    {
        Span<byte> bytes = stackalloc byte[ElementBytes];
        BigInteger candidate;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[^1] &= 0x01; // 521 bits
            candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        }
        while (candidate >= Prime);
        return candidate;
    }
}
