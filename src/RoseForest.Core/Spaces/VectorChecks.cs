namespace RoseForest.Core.Spaces;

/// <summary>
/// The public face of the engine's vector validation, for layers that must refuse a bad vector
/// before handing it on (the cluster router checks a write before it is logged, so a logged
/// write always applies on every replica).
/// </summary>
public static class VectorChecks
{
    /// <summary>
    /// Throws <see cref="VectorValidationException"/> naming <paramref name="field"/> when
    /// <paramref name="vector"/> would be refused by a collection of this shape (dimension, finite
    /// values, the geometry's domain, unless <paramref name="projectOntoManifold"/>).
    /// </summary>
    public static void Validate(Geometry geometry, double curvature, int dimension, ReadOnlySpan<float> vector, bool projectOntoManifold, string field)
    {
        var scratch = vector.Length <= 1024 ? stackalloc float[vector.Length] : new float[vector.Length];
        VectorPreparer.Prepare(geometry, curvature, dimension, vector, scratch, projectOntoManifold, field);
    }
}
