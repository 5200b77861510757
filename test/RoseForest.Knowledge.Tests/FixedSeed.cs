using CsCheck;

namespace RoseForest.Knowledge.Tests;

/// <summary>
/// Runs a property over CsCheck generators driven by a fixed PCG seed, so every run checks the
/// same cases (CsCheck's own Sample fixes only the first iteration's seed).
/// </summary>
internal static class FixedSeed
{
    public static void ForAll<T>(Gen<T> gen, int iterations, ulong seed, Action<T> property)
    {
        var pcg = new PCG(1, seed);
        for (var i = 0; i < iterations; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"property failed at iteration {i} of seed {seed}: {e.Message}", e);
            }
        }
    }
}
