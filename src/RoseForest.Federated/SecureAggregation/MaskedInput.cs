namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 2: a client's input, quantized and masked, over Z/2³².</summary>
public sealed record MaskedInput(string ClientId, uint[] Values);
