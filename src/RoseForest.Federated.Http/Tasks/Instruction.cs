using RoseForest.Federated.Model;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>What a client should do next: <c>fit</c>, <c>evaluate</c>, <c>wait</c>, <c>done</c> or <c>failed</c>, with the model and configuration to do it with.</summary>
internal sealed record Instruction(
    string Action,
    int Round,
    int Attempt = 0,
    DateTimeOffset? Deadline = null,
    IReadOnlyDictionary<string, double>? Config = null,
    ModelParameters? Model = null,
    string? Reason = null)
{
    public bool CarriesModel => Model is not null;
}
