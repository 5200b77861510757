namespace RoseForest.Federated.Bench;

/// <summary>The benchmark's knobs (command-line options) and its fixed training settings.</summary>
internal sealed class BenchSettings
{
    public int Rounds { get; init; } = 30;

    public int Hidden { get; init; } = 128;

    public int Clients { get; init; } = 10;

    public double DirichletBeta { get; init; } = 0.5;

    public ulong Seed { get; init; } = 2026;

    /// <summary>Which models the accuracy verb trains: mlr, mlp or both.</summary>
    public string Models { get; init; } = "both";

    /// <summary>Which splits the accuracy verb uses: iid, dir or both.</summary>
    public string Splits { get; init; } = "both";
}
