using RoseForest.Communication.Access;

namespace RoseForest.Communication.Http.Http;

/// <summary>
/// The part's hub once open, and the key issuer every transport asks about model keys (REST's key
/// middleware, gRPC's interceptor): a model's key makes the request act as a <see cref="ModelKey"/>.
/// </summary>
internal sealed class HubHolder : IKeyIssuer
{
    private CommunicationHub? _hub;

    public CommunicationHub Hub
    {
        get => _hub ?? throw new InvalidOperationException("model communication is not open yet.");
        set => _hub = value;
    }

    public IKeyHolder? Identify(string presentedKey) => _hub?.Identify(presentedKey) is { } caller ? new ModelKey(this, caller) : null;
}

/// <summary>A request made with a model's key: authorized by the hub's one decision (<see cref="CommunicationHub.Authorize"/>).</summary>
internal sealed record ModelKey(HubHolder Holder, Caller Caller) : IKeyHolder
{
    public void Authorize(CollectionAccess access, string? collection, int vectors = 1) => Holder.Hub.Authorize(Caller, access, collection, vectors);

    public override string ToString() => Caller.ToString();
}
