namespace RoseForest.Federated.Randomness;

/// <summary>
/// The randomness the library draws (DP noise, client selection, gossip peers). Pass a
/// <see cref="SeededRandomSource"/> for reproducible tests and simulations, and a
/// <see cref="SecureRandomSource"/> in production, where DP noise must be unpredictable.
/// </summary>
public interface IRandomSource
{
    /// <summary>64 uniformly random bits.</summary>
    ulong NextUInt64();

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    double NextDouble();

    /// <summary>A standard normal draw (mean 0, standard deviation 1).</summary>
    double NextGaussian();
}
