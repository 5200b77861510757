using System.Numerics;

namespace RoseForest.Core.Filters.Geo;

/// <summary>
/// The sign of the orientation of three points, computed exactly: +1 when a, b, c turn
/// counter-clockwise, -1 clockwise, 0 collinear. A floating-point determinant decides when it is
/// safely away from zero (Shewchuk's first error bound, as the robust crate behind Qdrant's geo
/// checks uses); otherwise the determinant is evaluated in exact integer arithmetic.
/// </summary>
internal static class Orientation
{
    private const double Epsilon = 1.1102230246251565e-16; // 2^-53
    private const double ErrorBoundA = (3.0 + (16.0 * Epsilon)) * Epsilon;

    public static int Of(double ax, double ay, double bx, double by, double cx, double cy)
    {
        var left = (ax - cx) * (by - cy);
        var right = (ay - cy) * (bx - cx);
        var det = left - right;
        double sum;
        if (left > 0)
        {
            if (right <= 0)
            {
                return Math.Sign(det);
            }

            sum = left + right;
        }
        else if (left < 0)
        {
            if (right >= 0)
            {
                return Math.Sign(det);
            }

            sum = -left - right;
        }
        else
        {
            return Math.Sign(det);
        }

        var bound = ErrorBoundA * sum;
        if (det >= bound || -det >= bound)
        {
            return Math.Sign(det);
        }

        return Exact(ax, ay, bx, by, cx, cy);
    }

    /// <summary>The determinant with every double scaled to an integer (times 2^1074), so nothing rounds.</summary>
    private static int Exact(double ax, double ay, double bx, double by, double cx, double cy)
    {
        var left = (Scaled(ax) - Scaled(cx)) * (Scaled(by) - Scaled(cy));
        var right = (Scaled(ay) - Scaled(cy)) * (Scaled(bx) - Scaled(cx));
        return (left - right).Sign;
    }

    /// <summary>x * 2^1074 as an integer (exact for every finite double).</summary>
    private static BigInteger Scaled(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // x = mantissa * 2^(exponent - 1075), so x * 2^1074 = mantissa * 2^(exponent - 1).
        var value = new BigInteger(mantissa) << (exponent - 1);
        return negative ? -value : value;
    }
}
