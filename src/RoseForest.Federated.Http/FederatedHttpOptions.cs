namespace RoseForest.Federated.Http;

/// <summary>Settings of the federated coordinator's HTTP part.</summary>
public sealed class FederatedHttpOptions
{
    /// <summary>The folder that keeps one sub-folder per task (spec, initial model, coordinator snapshot, evaluation state); null keeps tasks in memory only.</summary>
    public string? DataPath { get; init; }

    /// <summary>The clock of round, evaluation and secure-aggregation deadlines; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When set, every /fl route requires this key (header <c>api-key</c> or <c>Authorization: Bearer</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>When set, this key may call the GET routes only.</summary>
    public string? ReadOnlyApiKey { get; init; }

    /// <summary>The most tasks the coordinator holds. Default 1,000.</summary>
    public int MaxTasks { get; init; } = 1000;
}
