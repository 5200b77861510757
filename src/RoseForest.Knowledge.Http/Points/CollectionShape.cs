using System.Globalization;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>What two collections must share to sync: geometry, dimension and curvature.</summary>
/// <param name="Geometry">The geometry.</param>
/// <param name="Dimension">The vector length.</param>
/// <param name="Curvature">The curvature magnitude (1 for the flat geometries).</param>
public sealed record CollectionShape(Core.Geometry Geometry, int Dimension, double Curvature)
{
    /// <summary>The shape of a collection as the engine reports it.</summary>
    public static CollectionShape Of(CollectionInfo info) => new(info.Geometry, info.Dimension, info.Curvature);

    /// <summary>True when points of one may be merged into the other.</summary>
    public bool IsCompatibleWith(CollectionShape other)
        => Geometry == other.Geometry && Dimension == other.Dimension
           && (!GeometryInfo.IsHyperbolic(Geometry) || Math.Abs(Curvature - other.Curvature) <= 1e-12 * Math.Max(1, Curvature));

    /// <summary>Options to create a collection of this shape.</summary>
    public CollectionOptions ToOptions() => new() { Geometry = Geometry, Dimension = Dimension, Curvature = Curvature };

    /// <inheritdoc />
    public override string ToString()
        => GeometryInfo.IsHyperbolic(Geometry)
            ? string.Create(CultureInfo.InvariantCulture, $"{Geometry.ToString().ToLowerInvariant()}/{Dimension} (c={Curvature})")
            : string.Create(CultureInfo.InvariantCulture, $"{Geometry.ToString().ToLowerInvariant()}/{Dimension}");
}
