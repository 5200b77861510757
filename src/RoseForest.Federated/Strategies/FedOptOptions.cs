namespace RoseForest.Federated.Strategies;

/// <summary>
/// Options of the adaptive server optimizers FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021,
/// "Adaptive Federated Optimization"). The defaults of each preset are Flower's.
/// </summary>
public sealed class FedOptOptions
{
    /// <summary>Server learning rate η.</summary>
    public double Eta { get; init; } = 0.1;

    /// <summary>Client learning rate η_l, sent to clients as <c>eta_l</c> in the round configuration.</summary>
    public double EtaL { get; init; } = 0.1;

    /// <summary>Momentum β₁ of the first moment (FedAdagrad uses 0, as Flower does).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂ of the second moment (unused by FedAdagrad).</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>τ, the degree of adaptivity (added to √v in the denominator).</summary>
    public double Tau { get; init; } = 1e-9;

    /// <summary>Flower's FedAdam defaults: η 0.1, η_l 0.1, β₁ 0.9, β₂ 0.99, τ 1e-9.</summary>
    public static FedOptOptions AdamDefaults { get; } = new();

    /// <summary>Flower's FedYogi defaults: η 0.01, η_l 0.0316, β₁ 0.9, β₂ 0.99, τ 1e-3.</summary>
    public static FedOptOptions YogiDefaults { get; } = new() { Eta = 1e-2, EtaL = 0.0316, Tau = 1e-3 };

    /// <summary>Flower's FedAdagrad defaults: η 0.1, η_l 0.1, β₁ 0, τ 1e-9.</summary>
    public static FedOptOptions AdagradDefaults { get; } = new() { Beta1 = 0.0, Beta2 = 0.0 };
}
