namespace RoseForest.Federated.Accounting;

/// <summary>How an RDP curve becomes an (ε, δ) guarantee.</summary>
public enum RdpConversion
{
    /// <summary>
    /// The improved bound of Canonne, Kamath and Steinke 2020 (arXiv 2004.00010, Prop. 12) and
    /// Balle et al. 2020 (arXiv 1905.09982, Thm. 21): ε = rdp + log(1 − 1/α) − log(δ·α)/(α − 1),
    /// as Google's dp_accounting (used by TF Privacy) and Opacus compute it.
    /// </summary>
    Improved,

    /// <summary>The classic bound of Mironov 2017 (Prop. 3): ε = rdp − log(δ)/(α − 1).</summary>
    Classic,
}
