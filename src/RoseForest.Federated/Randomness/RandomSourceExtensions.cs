namespace RoseForest.Federated.Randomness;

/// <summary>Draws built from the primitive ones.</summary>
public static class RandomSourceExtensions
{
    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    public static int NextInt(this IRandomSource random, int maxExclusive)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong x;
        do
        {
            x = random.NextUInt64();
        }
        while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>Shuffles a list in place (Fisher–Yates).</summary>
    public static void Shuffle<T>(this IRandomSource random, IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A standard normal draw by the Box–Muller transform of two uniforms.</summary>
    internal static double BoxMuller(double u1, double u2) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
}
