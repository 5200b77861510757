using RoseForest.Federated.Model;

namespace RoseForest.Federated.Coordination;

/// <summary>An open round: which clients were selected, the model and configuration they train with, and when the round times out.</summary>
public sealed record RoundPlan(int Round, int Attempt, IReadOnlyList<string> Clients, ModelParameters Model, IReadOnlyDictionary<string, double> Config, DateTimeOffset Deadline);
