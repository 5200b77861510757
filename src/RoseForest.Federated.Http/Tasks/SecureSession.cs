using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>The stages of one secure-aggregation session, in order.</summary>
internal enum SecureStage
{
    Advertise,
    Share,
    Mask,
    Unmask,
    Done,
    Aborted,
}

/// <summary>
/// One secure-aggregation session over an open round (a round attempt may need several when one
/// aborts). In memory only: after a coordinator restart the open round's exchange starts again
/// with a new session and fresh keys.
/// </summary>
internal sealed class SecureSession(int number, int round, int attempt, IReadOnlyList<string> selected, SecAggOptions options) : IDisposable
{
    public int Number { get; } = number;

    public int Round { get; } = round;

    public int Attempt { get; } = attempt;

    public IReadOnlyList<string> Selected { get; } = selected;

    public SecAggOptions Options { get; } = options;

    public SecAggServer Server { get; } = new(options);

    public SecureStage Stage { get; set; }

    public DateTimeOffset StageDeadline { get; set; }

    public string? AbortReason { get; set; }

    public Dictionary<string, AdvertisedKeys> Keys { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<AdvertisedKeys>? Roster { get; set; }

    public Dictionary<string, ShareKeysMessage> ShareMessages { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IReadOnlyList<EncryptedShare>>? Routed { get; set; }

    public HashSet<string> Masked { get; } = new(StringComparer.Ordinal);

    public UnmaskRequest? Request { get; set; }

    public Dictionary<string, UnmaskResponse> Responses { get; } = new(StringComparer.Ordinal);

    public ITimer? Timer { get; set; }

    /// <summary>Who must act at the current stage.</summary>
    public IReadOnlyCollection<string> Expected => Stage switch
    {
        SecureStage.Advertise => Selected,
        SecureStage.Share => [.. Roster!.Select(k => k.ClientId)],
        SecureStage.Mask => [.. Routed!.Keys],
        SecureStage.Unmask => Request!.Survivors,
        _ => [],
    };

    /// <summary>How many of them did.</summary>
    public int Posted => Stage switch
    {
        SecureStage.Advertise => Keys.Count,
        SecureStage.Share => ShareMessages.Count,
        SecureStage.Mask => Masked.Count,
        SecureStage.Unmask => Responses.Count,
        _ => 0,
    };

    /// <summary>Whether <paramref name="clientId"/> already acted at the current stage.</summary>
    public bool HasPosted(string clientId) => Stage switch
    {
        SecureStage.Advertise => Keys.ContainsKey(clientId),
        SecureStage.Share => ShareMessages.ContainsKey(clientId),
        SecureStage.Mask => Masked.Contains(clientId),
        SecureStage.Unmask => Responses.ContainsKey(clientId),
        _ => false,
    };

    public void Dispose() => Timer?.Dispose();
}
