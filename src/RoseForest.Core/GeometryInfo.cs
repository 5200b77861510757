namespace RoseForest.Core;

/// <summary>Facts about each <see cref="Geometry"/>: names, score direction, parameters.</summary>
public static class GeometryInfo
{
    /// <summary>The default curvature magnitude c of the hyperbolic geometries.</summary>
    public const double DefaultCurvature = 1.0;

    /// <summary>True when a higher score is a better match (cosine, dot).</summary>
    public static bool HigherIsBetter(Geometry geometry) => geometry is Geometry.Cosine or Geometry.Dot;

    /// <summary>True for the hyperbolic geometries, which take a curvature.</summary>
    public static bool IsHyperbolic(Geometry geometry) => geometry is Geometry.Poincare or Geometry.Lorentz;

    /// <summary>The lowercase name: euclid, cosine, dot, manhattan, poincare, lorentz.</summary>
    public static string Name(Geometry geometry) => geometry switch
    {
        Geometry.Euclid => "euclid",
        Geometry.Cosine => "cosine",
        Geometry.Dot => "dot",
        Geometry.Manhattan => "manhattan",
        Geometry.Poincare => "poincare",
        Geometry.Lorentz => "lorentz",
        _ => throw new ArgumentOutOfRangeException(nameof(geometry)),
    };

    /// <summary>Qdrant's spelling of the distance (Euclid, Cosine, Dot, Manhattan), and Poincare, Lorentz.</summary>
    public static string QdrantName(Geometry geometry) => geometry switch
    {
        Geometry.Euclid => "Euclid",
        Geometry.Cosine => "Cosine",
        Geometry.Dot => "Dot",
        Geometry.Manhattan => "Manhattan",
        Geometry.Poincare => "Poincare",
        Geometry.Lorentz => "Lorentz",
        _ => throw new ArgumentOutOfRangeException(nameof(geometry)),
    };

    /// <summary>Parses a geometry name, case-insensitively; accepts "l2"/"euclidean" for euclid.</summary>
    public static bool TryParse(string? text, out Geometry geometry)
    {
        switch (text?.ToUpperInvariant())
        {
            case "EUCLID" or "EUCLIDEAN" or "L2":
                geometry = Geometry.Euclid;
                return true;
            case "COSINE":
                geometry = Geometry.Cosine;
                return true;
            case "DOT":
                geometry = Geometry.Dot;
                return true;
            case "MANHATTAN" or "L1":
                geometry = Geometry.Manhattan;
                return true;
            case "POINCARE":
                geometry = Geometry.Poincare;
                return true;
            case "LORENTZ" or "HYPERBOLOID":
                geometry = Geometry.Lorentz;
                return true;
            default:
                geometry = default;
                return false;
        }
    }

    /// <summary>Parses a geometry name or throws a <see cref="ValidationException"/> naming the field.</summary>
    public static Geometry Parse(string? text, string field = "geometry") =>
        TryParse(text, out var g)
            ? g
            : throw new ValidationException(field, $"unknown geometry '{text}'; expected one of euclid, cosine, dot, manhattan, poincare, lorentz.");

    /// <summary>Checks a curvature magnitude: finite and &gt; 0.</summary>
    public static void ValidateCurvature(double curvature, string field = "curvature")
    {
        if (!double.IsFinite(curvature) || curvature <= 0)
        {
            throw new ValidationException(field, $"the curvature magnitude c must be a finite number > 0 (the space has curvature -c), got {curvature}.");
        }
    }
}
