namespace RoseForest.Federated.SecureAggregation;

/// <summary>The fixed-point encoding of inputs into Z/2³² and back.</summary>
internal static class FixedPoint
{
    public static uint[] Encode(ReadOnlySpan<float> values, float clipRange, int scaleBits)
    {
        var scale = Math.Pow(2, scaleBits);
        var encoded = new uint[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var clamped = Math.Clamp(values[i], -clipRange, clipRange);
            encoded[i] = unchecked((uint)(int)Math.Round(clamped * scale, MidpointRounding.ToEven));
        }

        return encoded;
    }

    public static float[] Decode(ReadOnlySpan<uint> sum, int scaleBits)
    {
        var scale = Math.Pow(2, scaleBits);
        var decoded = new float[sum.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            decoded[i] = (float)(unchecked((int)sum[i]) / scale);
        }

        return decoded;
    }
}
