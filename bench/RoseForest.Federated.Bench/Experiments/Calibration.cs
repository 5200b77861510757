using RoseForest.Federated.Accounting;

namespace RoseForest.Federated.Bench.Experiments;

/// <summary>The noise multiplier that spends a target ε over a number of rounds (bisection on the RDP accountant).</summary>
internal static class Calibration
{
    public static double NoiseFor(double epsilon, double delta, double sampleRate, int rounds)
    {
        double Epsilon(double z) => RdpAccountant.ToEpsilon(RdpAccountant.DefaultOrders, RdpAccountant.ComputeRdp(sampleRate, z, rounds, RdpAccountant.DefaultOrders), delta).Epsilon;
        var (low, high) = (0.05, 500.0);
        for (var i = 0; i < 80; i++)
        {
            var mid = Math.Sqrt(low * high);
            (low, high) = Epsilon(mid) > epsilon ? (mid, high) : (low, mid);
        }

        return high;
    }
}
