using System.Collections.Immutable;
using System.Text.Json.Nodes;
using RoseForest.Communication.Contracts;

namespace RoseForest.Communication.Registry;

/// <summary>A registered model: its current contract, its version, the hash of its key and every earlier contract.</summary>
public sealed record ModelRecord(string Id, ModelContract Contract, int Version, string KeyHash, DateTimeOffset RegisteredAt, ImmutableList<ContractVersion> History);

/// <summary>One version of a model's contract.</summary>
public sealed record ContractVersion(int Version, DateTimeOffset At, JsonObject Contract);
