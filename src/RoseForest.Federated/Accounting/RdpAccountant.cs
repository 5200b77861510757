namespace RoseForest.Federated.Accounting;

/// <summary>
/// A Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism: record each step's noise
/// multiplier and sampling rate, then ask for ε at a δ. In federated learning a "step" is a
/// round, the sampling rate is the fraction of clients sampled, and the noise multiplier is the
/// central-DP z (client-level DP).
/// </summary>
public sealed class RdpAccountant
{
    private readonly List<(double NoiseMultiplier, double SampleRate, long Steps)> _history = [];

    /// <summary>
    /// The orders α searched by default: 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, the
    /// integers 5..63, then 128 and 256 (TF Privacy's list, which also has 512).
    /// </summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5, .. Enumerable.Range(5, 59).Select(i => (double)i), 128, 256];

    /// <summary>The recorded steps: (noise multiplier, sampling rate, count), consecutive equal steps merged.</summary>
    public IReadOnlyList<(double NoiseMultiplier, double SampleRate, long Steps)> History => _history;

    /// <summary>Records <paramref name="steps"/> applications of the sampled Gaussian mechanism.</summary>
    public void Step(double noiseMultiplier, double sampleRate, long steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(noiseMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (sampleRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sampling rate must be in [0, 1].");
        }

        if (_history.Count > 0 && _history[^1].NoiseMultiplier == noiseMultiplier && _history[^1].SampleRate == sampleRate)
        {
            _history[^1] = (noiseMultiplier, sampleRate, _history[^1].Steps + steps);
        }
        else
        {
            _history.Add((noiseMultiplier, sampleRate, steps));
        }
    }

    /// <summary>The smallest ε over the orders at which the recorded steps are (ε, δ)-DP, and that order. Zero before any step.</summary>
    public (double Epsilon, double Order) GetEpsilon(double delta, IReadOnlyList<double>? orders = null, RdpConversion conversion = RdpConversion.Improved)
    {
        orders ??= DefaultOrders;
        if (_history.Count == 0)
        {
            return (0, 0);
        }

        var rdp = new double[orders.Count];
        foreach (var (sigma, q, steps) in _history)
        {
            var one = ComputeRdp(q, sigma, steps, orders);
            for (var i = 0; i < rdp.Length; i++)
            {
                rdp[i] += one[i];
            }
        }

        return ToEpsilon(orders, rdp, delta, conversion);
    }

    /// <summary>The RDP at each order of <paramref name="steps"/> compositions of the sampled Gaussian mechanism.</summary>
    public static double[] ComputeRdp(double sampleRate, double noiseMultiplier, long steps, IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return [.. orders.Select(a => SampledGaussianRdp.Compute(sampleRate, noiseMultiplier, a) * steps)];
    }

    /// <summary>Converts an RDP curve to the best (ε, order) at δ.</summary>
    public static (double Epsilon, double Order) ToEpsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta, RdpConversion conversion = RdpConversion.Improved)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rdp);
        if (orders.Count != rdp.Count || orders.Count == 0)
        {
            throw new ArgumentException("Orders and RDP values must be non-empty lists of the same length.", nameof(rdp));
        }

        if (delta is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        }

        var best = double.PositiveInfinity;
        var bestOrder = orders[0];
        for (var i = 0; i < orders.Count; i++)
        {
            var eps = conversion == RdpConversion.Classic ? Classic(orders[i], rdp[i], delta) : Improved(orders[i], rdp[i], delta);
            if (eps < best)
            {
                (best, bestOrder) = (eps, orders[i]);
            }
        }

        return (Math.Max(0, best), bestOrder);
    }

    private static double Classic(double a, double r, double delta) => r - (Math.Log(delta) / (a - 1));

    private static double Improved(double a, double r, double delta)
    {
        if (r < 0)
        {
            return 0;
        }

        if ((delta * delta) + (Math.Exp(-r) - 1) > 0)
        {
            return 0; // δ ≥ √(1 − e^(−KL)): the KL bound already gives ε = 0.
        }

        return a > 1.01 ? r + Math.Log(1 - (1 / a)) - (Math.Log(delta * a) / (a - 1)) : double.PositiveInfinity;
    }
}
