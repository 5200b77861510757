namespace RoseForest.Federated.Model;

/// <summary>
/// One client's contribution to a round: its parameters (or delta), how many samples it trained
/// on, its metrics, who sent it and for which round.
/// </summary>
public sealed class ClientUpdate
{
    /// <summary>Creates an update. Validation against the open round is done by <see cref="Validation.UpdateValidator"/>.</summary>
    public ClientUpdate(
        string clientId,
        int round,
        ModelParameters tensors,
        int sampleCount,
        UpdateKind kind = UpdateKind.Parameters,
        UpdateMetrics? metrics = null,
        long timestampUnixMs = 0)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(tensors);
        ClientId = clientId;
        Round = round;
        Tensors = tensors;
        SampleCount = sampleCount;
        Kind = kind;
        Metrics = metrics ?? UpdateMetrics.None;
        TimestampUnixMs = timestampUnixMs;
    }

    /// <summary>The sending client's id (the seed's agent id).</summary>
    public string ClientId { get; }

    /// <summary>The round (the seed's model version) this update answers.</summary>
    public int Round { get; }

    /// <summary>The update's tensors: parameters or a delta, per <see cref="Kind"/>.</summary>
    public ModelParameters Tensors { get; }

    /// <summary>The number of training samples behind the update; must be positive.</summary>
    public int SampleCount { get; }

    /// <summary>Whether <see cref="Tensors"/> are parameters or a delta.</summary>
    public UpdateKind Kind { get; }

    /// <summary>The client's training metrics.</summary>
    public UpdateMetrics Metrics { get; }

    /// <summary>When the client produced the update, Unix milliseconds, as the client reports it.</summary>
    public long TimestampUnixMs { get; }

    /// <summary>The same update carrying other tensors (used by clipping and delta conversion).</summary>
    public ClientUpdate WithTensors(ModelParameters tensors, UpdateKind kind) =>
        new(ClientId, Round, tensors, SampleCount, kind, Metrics, TimestampUnixMs);
}
