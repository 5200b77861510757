namespace RoseForest.Federated.Client;

/// <summary>How a <see cref="FederatedClientRunner"/> talks to the coordinator.</summary>
public sealed class FederatedRunnerOptions
{
    /// <summary>How long to wait between polls when there is nothing to do. Default 200 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Send and receive tensors as RFT1 frames instead of JSON (for large models).</summary>
    public bool BinaryTensors { get; init; }

    /// <summary>The clock for waits and update timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
