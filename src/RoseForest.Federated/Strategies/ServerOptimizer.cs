namespace RoseForest.Federated.Strategies;

/// <summary>The server optimizer of an adaptive strategy (Reddi et al. 2021).</summary>
public enum ServerOptimizer
{
    /// <summary>FedAdagrad: v ← v + Δ².</summary>
    Adagrad,

    /// <summary>FedAdam: v ← β₂v + (1−β₂)Δ², with Adam's bias correction of the step size.</summary>
    Adam,

    /// <summary>FedYogi: v ← v − (1−β₂)Δ²·sign(v − Δ²).</summary>
    Yogi,
}
