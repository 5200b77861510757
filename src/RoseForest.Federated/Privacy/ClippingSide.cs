namespace RoseForest.Federated.Privacy;

/// <summary>Where updates are clipped in central DP.</summary>
public enum ClippingSide
{
    /// <summary>The server clips each update it receives (it sees raw updates).</summary>
    Server,

    /// <summary>Each client clips its own update with <see cref="ClientPrivacy"/> before sending it (needed with secure aggregation, where the server cannot see individual updates); the server only adds noise.</summary>
    Client,
}
