namespace RoseForest.Federated.Accounting;

/// <summary>Arithmetic in log space and log(erfc) for the RDP computation.</summary>
internal static class LogMath
{
    private static readonly double LogSqrtPi = 0.5 * Math.Log(Math.PI);

    /// <summary>log(eˣ + eʸ).</summary>
    public static double LogAdd(double logX, double logY)
    {
        var (a, b) = (Math.Min(logX, logY), Math.Max(logX, logY));
        return double.IsNegativeInfinity(a) ? b : Math.Log(1 + Math.Exp(a - b)) + b;
    }

    /// <summary>log(eˣ − eʸ) for x ≥ y (−∞ when equal).</summary>
    public static double LogSub(double logX, double logY)
    {
        if (logX < logY)
        {
            throw new ArgumentException("The result of a log-space subtraction must be non-negative.", nameof(logY));
        }

        if (double.IsNegativeInfinity(logY))
        {
            return logX;
        }

        if (logX == logY)
        {
            return double.NegativeInfinity;
        }

        var diff = Math.Exp(logX - logY) - 1;
        return double.IsPositiveInfinity(diff) ? logX : Math.Log(diff) + logY;
    }

    /// <summary>log n! by summation (exact enough for the orders used: n ≤ a few thousand).</summary>
    public static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var k = 2; k <= n; k++)
        {
            sum += Math.Log(k);
        }

        return sum;
    }

    /// <summary>log(erfc(x)), accurate in the far tail where erfc underflows.</summary>
    public static double LogErfc(double x)
    {
        if (x >= 2.5)
        {
            return (-x * x) - LogSqrtPi + Math.Log(ContinuedFraction(x));
        }

        if (x <= -2.5)
        {
            // erfc(x) = 2 − erfc(−x), and erfc(−x) is tiny here.
            return Math.Log(2 - Math.Exp(LogErfc(-x)));
        }

        return Math.Log(1 - Erf(x));
    }

    /// <summary>erf(x) for |x| &lt; 2.5 from the all-positive series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)).</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var term = x;
        var sum = x;
        for (var n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return sign * 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>
    /// √π·eˣ²·erfc(x) for x ≥ 2.5 by the continued fraction 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
    /// evaluated from the tail.
    /// </summary>
    private static double ContinuedFraction(double x)
    {
        var tail = x;
        for (var k = 300; k >= 1; k--)
        {
            tail = x + (k / 2.0 / tail);
        }

        return 1 / tail;
    }
}
