using RoseForest.Server;

namespace RoseForest.Communication.Http.Http;

/// <summary>The part's hub once open, and the key issuer the REST key middleware asks about model keys.</summary>
internal sealed class HubHolder : IKeyHolders
{
    private CommunicationHub? _hub;

    public CommunicationHub Hub
    {
        get => _hub ?? throw new InvalidOperationException("model communication is not open yet.");
        set => _hub = value;
    }

    public object? Identify(string presentedKey) => _hub?.Identify(presentedKey);
}
