using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Client;

/// <summary>
/// A client's view of the round's secure-aggregation session: its number and stage
/// (<c>advertise</c>, <c>share</c>, <c>mask</c>, <c>unmask</c>, <c>done</c>, <c>aborted</c>, or
/// <c>none</c>), whether the client is expected and already acted, the options, and what the
/// stage needs (the roster, the shares routed to this client, the unmasking request).
/// </summary>
public sealed record SecureView(
    int Session,
    int Round,
    int Attempt,
    string Stage,
    bool Expected,
    bool Sent,
    SecAggOptions? Options,
    int MaxSamples,
    IReadOnlyList<AdvertisedKeys>? Roster,
    IReadOnlyList<EncryptedShare>? Shares,
    UnmaskRequest? Request);
