using System.Globalization;

namespace RoseForest.Core.Spaces;

/// <summary>
/// Checks a vector against its collection (dimension, finiteness, the geometry's domain) and
/// writes the form that is stored: unit length for cosine, optionally projected onto the
/// manifold for the hyperbolic geometries. Throws <see cref="VectorValidationException"/>.
/// </summary>
internal static class VectorPreparer
{
    /// <summary>A Poincaré point must satisfy √c‖x‖ &lt; 1 − ε.</summary>
    public const double PoincareBoundaryEpsilon = 1e-5;

    /// <summary>A Lorentz point must satisfy |c⟨x,x⟩_L + 1| ≤ tol · (1 + c·Σ_{i≥1} xi²).</summary>
    public const double LorentzRelativeTolerance = 1e-4;

    public static void Prepare(Geometry geometry, double curvature, int dimension, ReadOnlySpan<float> input, Span<float> output, bool projectOntoManifold, string field)
    {
        if (input.Length != dimension)
        {
            throw new VectorValidationException(field, VectorError.WrongDimension, $"expected a vector of dimension {dimension}, got {input.Length}.");
        }

        for (var i = 0; i < input.Length; i++)
        {
            if (!float.IsFinite(input[i]))
            {
                throw new VectorValidationException(field, VectorError.NotFinite, $"coordinate {i} is {input[i].ToString(CultureInfo.InvariantCulture)}; every coordinate must be a finite number.");
            }
        }

        var sumSquares = VectorMath.SumSquaresDouble(input);
        if (!double.IsFinite(sumSquares) || sumSquares > float.MaxValue)
        {
            throw new VectorValidationException(field, VectorError.NotFinite, "the vector's squared norm overflows a float.");
        }

        switch (geometry)
        {
            case Geometry.Cosine:
                if (sumSquares == 0)
                {
                    throw new VectorValidationException(field, VectorError.ZeroVector, "a zero vector has no direction, so it cannot be used with cosine.");
                }

                var inv = 1.0 / Math.Sqrt(sumSquares);
                for (var i = 0; i < input.Length; i++)
                {
                    output[i] = (float)(input[i] * inv);
                }

                return;

            case Geometry.Poincare:
                PreparePoincare(curvature, input, output, sumSquares, projectOntoManifold, field);
                return;

            case Geometry.Lorentz:
                PrepareLorentz(curvature, input, output, projectOntoManifold, field);
                return;

            default:
                input.CopyTo(output);
                return;
        }
    }

    private static void PreparePoincare(double c, ReadOnlySpan<float> input, Span<float> output, double sumSquares, bool project, string field)
    {
        var scaledNorm = Math.Sqrt(c * sumSquares);
        if (scaledNorm < 1 - PoincareBoundaryEpsilon)
        {
            input.CopyTo(output);
            return;
        }

        if (!project)
        {
            throw new VectorValidationException(
                field,
                VectorError.OutsideBall,
                $"a Poincaré point must have norm < (1 - {PoincareBoundaryEpsilon})/sqrt(c) = {(1 - PoincareBoundaryEpsilon) / Math.Sqrt(c):G9}, got {Math.Sqrt(sumSquares):G9}; pass the project-onto-manifold option to pull it inside instead.");
        }

        // Pull the point back to radius (1 - 2ε)/√c along its own direction.
        var scale = (1 - (2 * PoincareBoundaryEpsilon)) / scaledNorm;
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (float)(input[i] * scale);
        }
    }

    private static void PrepareLorentz(double c, ReadOnlySpan<float> input, Span<float> output, bool project, string field)
    {
        if (input.Length < 2)
        {
            throw new VectorValidationException(field, VectorError.WrongDimension, "a Lorentz point needs at least 2 coordinates (x0 and one spatial coordinate).");
        }

        double spatial = 0;
        for (var i = 1; i < input.Length; i++)
        {
            spatial += (double)input[i] * input[i];
        }

        double x0 = input[0];
        var residual = (c * ((-x0 * x0) + spatial)) + 1;
        var onSheet = x0 > 0 && Math.Abs(residual) <= LorentzRelativeTolerance * (1 + (c * spatial));
        if (onSheet)
        {
            input.CopyTo(output);
            return;
        }

        if (!project)
        {
            throw new VectorValidationException(
                field,
                VectorError.OffHyperboloid,
                $"a Lorentz point must lie on the upper sheet -x0^2 + sum(xi^2) = -1/c with x0 > 0 (relative tolerance {LorentzRelativeTolerance}); c*<x,x>_L + 1 = {residual:G6}, x0 = {x0:G6}. Pass the project-onto-manifold option to lift the spatial coordinates onto the hyperboloid instead.");
        }

        // Keep the spatial coordinates and recompute x0 = sqrt(1/c + Σ xi²).
        input.CopyTo(output);
        output[0] = (float)Math.Sqrt((1 / c) + spatial);
    }
}
