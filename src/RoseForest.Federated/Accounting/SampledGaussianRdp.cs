namespace RoseForest.Federated.Accounting;

/// <summary>
/// The Rényi DP of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang 2019,
/// "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Sec. 3.3): log A_α summed
/// exactly for integer α and by the two-sided series with erfc terms for fractional α, as TF
/// Privacy's original accountant and Opacus's <c>analysis/rdp.py</c> compute it.
/// </summary>
internal static class SampledGaussianRdp
{
    /// <summary>The RDP at order α of one step with sampling rate q and noise multiplier σ (can be +∞).</summary>
    public static double Compute(double q, double sigma, double alpha)
    {
        if (q is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "The sampling rate must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sigma);
        if (alpha <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "RDP orders must be above 1.");
        }

        if (q == 0)
        {
            return 0;
        }

        if (sigma == 0 || double.IsPositiveInfinity(alpha))
        {
            return double.PositiveInfinity;
        }

        if (q == 1)
        {
            return alpha / (2 * sigma * sigma);
        }

        var logA = alpha == Math.Floor(alpha) && alpha < int.MaxValue ? LogAInteger(q, sigma, (int)alpha) : LogAFractional(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    private static double LogAInteger(double q, double sigma, int alpha)
    {
        var logA = double.NegativeInfinity;
        var logFactAlpha = LogMath.LogFactorial(alpha);
        var logFacts = new double[alpha + 1];
        for (var k = 2; k <= alpha; k++)
        {
            logFacts[k] = logFacts[k - 1] + Math.Log(k);
        }

        for (var i = 0; i <= alpha; i++)
        {
            var logBinom = logFactAlpha - logFacts[i] - logFacts[alpha - i];
            var logCoef = logBinom + (i * Math.Log(q)) + ((alpha - i) * Math.Log(1 - q));
            var s = logCoef + ((((double)i * i) - i) / (2 * sigma * sigma));
            logA = LogMath.LogAdd(logA, s);
        }

        return logA;
    }

    private static double LogAFractional(double q, double sigma, double alpha)
    {
        var logA0 = double.NegativeInfinity;
        var logA1 = double.NegativeInfinity;
        var z0 = (sigma * sigma * Math.Log((1 / q) - 1)) + 0.5;
        var sqrt2Sigma = Math.Sqrt(2) * sigma;

        // The generalised binomial coefficient C(α, i), tracked as sign and log-magnitude.
        var coefSign = 1;
        var logCoef = 0.0;
        for (var i = 0; ; i++)
        {
            if (i > 0)
            {
                var factor = (alpha - i + 1) / i;
                coefSign *= Math.Sign(factor);
                logCoef += Math.Log(Math.Abs(factor));
            }

            var j = alpha - i;
            var logT0 = logCoef + (i * Math.Log(q)) + (j * Math.Log(1 - q));
            var logT1 = logCoef + (j * Math.Log(q)) + (i * Math.Log(1 - q));
            var logE0 = Math.Log(0.5) + LogMath.LogErfc((i - z0) / sqrt2Sigma);
            var logE1 = Math.Log(0.5) + LogMath.LogErfc((z0 - j) / sqrt2Sigma);
            var logS0 = logT0 + ((((double)i * i) - i) / (2 * sigma * sigma)) + logE0;
            var logS1 = logT1 + (((j * j) - j) / (2 * sigma * sigma)) + logE1;

            if (coefSign > 0)
            {
                logA0 = LogMath.LogAdd(logA0, logS0);
                logA1 = LogMath.LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogMath.LogSub(logA0, logS0);
                logA1 = LogMath.LogSub(logA1, logS1);
            }

            if (Math.Max(logS0, logS1) < -30 || i > 10_000)
            {
                break;
            }
        }

        return LogMath.LogAdd(logA0, logA1);
    }
}
