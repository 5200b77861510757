namespace RoseForest.Federated.Model;

/// <summary>What a client update's tensors hold.</summary>
public enum UpdateKind
{
    /// <summary>The client's full locally trained parameters.</summary>
    Parameters = 0,

    /// <summary>The difference between the client's parameters and the round's global model.</summary>
    Delta = 1,
}
