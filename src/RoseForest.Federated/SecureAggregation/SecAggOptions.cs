namespace RoseForest.Federated.SecureAggregation;

/// <summary>
/// Parameters of a secure-aggregation round. Inputs are quantized to fixed point: each value is
/// clamped to [−<see cref="ClipRange"/>, <see cref="ClipRange"/>], multiplied by
/// 2^<see cref="ScaleBits"/>, rounded, and summed modulo 2³² as two's-complement integers.
/// The sum of n inputs decodes correctly while n·ClipRange·2^ScaleBits &lt; 2³¹.
/// </summary>
public sealed class SecAggOptions
{
    /// <summary>t: the number of shares needed to reconstruct a secret, and the minimum number of clients that must survive each step.</summary>
    public required int Threshold { get; init; }

    /// <summary>The number of values in each client's input vector.</summary>
    public required int VectorLength { get; init; }

    /// <summary>Values are clamped to ±this before quantization.</summary>
    public float ClipRange { get; init; } = 8f;

    /// <summary>Fractional bits of the fixed-point encoding (resolution 2^−ScaleBits).</summary>
    public int ScaleBits { get; init; } = 16;

    /// <summary>Throws when the options cannot sum <paramref name="clients"/> inputs without overflow.</summary>
    public void Validate(int clients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Threshold, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VectorLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClipRange);
        if (ScaleBits is < 0 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleBits), ScaleBits, "Scale bits must be in [0, 30].");
        }

        if (clients * (double)ClipRange * Math.Pow(2, ScaleBits) >= Math.Pow(2, 31))
        {
            throw new ArgumentException($"{clients} clients × ±{ClipRange} at 2^{ScaleBits} overflow the 2^32 modulus; lower ClipRange or ScaleBits.");
        }

        if (Threshold > clients)
        {
            throw new ArgumentException($"The threshold {Threshold} exceeds the {clients} clients.");
        }
    }
}
