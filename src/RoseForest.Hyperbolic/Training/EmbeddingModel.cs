namespace RoseForest.Hyperbolic.Training;

/// <summary>The space a hierarchy is embedded in.</summary>
public enum EmbeddingModel
{
    /// <summary>The Poincaré ball (Nickel &amp; Kiela 2017), curvature −1; coordinates are ball coordinates.</summary>
    Poincare,

    /// <summary>The hyperboloid (Nickel &amp; Kiela 2018), curvature −1; coordinates are x0..xn.</summary>
    Lorentz,

    /// <summary>Flat ℝⁿ, the baseline; trained on squared distance as the reference implementation does.</summary>
    Euclid,
}
