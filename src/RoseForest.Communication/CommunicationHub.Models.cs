using System.Text.Json.Nodes;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Registry;

namespace RoseForest.Communication;

public sealed partial class CommunicationHub
{
    /// <summary>Registers a model (administrator only). The returned key is shown once; only its hash is kept.</summary>
    public async Task<(ModelRecord Model, string ApiKey)> RegisterAsync(Caller caller, JsonNode? contract, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException($"{caller} may not register models: that takes the server's API key.");
        }

        var parsed = ContractParser.Parse(contract);
        return await _registry.RegisterAsync(parsed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a model's contract (the model itself or the administrator); the old version stays in its history.</summary>
    public Task<ModelRecord> UpdateContractAsync(Caller caller, string model, JsonNode? contract, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        DemandSelfOrAdmin(caller, model, "change the contract");
        _ = Model(model);
        var parsed = ContractParser.Parse(contract);
        return _registry.UpdateContractAsync(model, parsed, caller.IsAdmin, cancellationToken);
    }

    /// <summary>A model's record, visible to itself, the administrator, and models with <c>query_other_models</c> that may read its namespace.</summary>
    public ModelRecord GetModel(Caller caller, string model)
    {
        var record = Model(model);
        DemandSee(caller, record);
        return record;
    }

    /// <summary>The models the caller may see.</summary>
    public IReadOnlyList<ModelRecord> ListModels(Caller caller) =>
        [.. _registry.Models.Values.Where(m => CanSee(caller, m)).OrderBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Deregisters a model (administrator only); its key stops working at once.</summary>
    public Task<bool> RemoveModelAsync(Caller caller, string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException($"{caller} may not deregister models.");
        }

        return _registry.RemoveModelAsync(model, cancellationToken);
    }

    /// <summary>Issues a new key for a model (itself or the administrator); the old one stops working.</summary>
    public Task<string> RotateKeyAsync(Caller caller, string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        DemandSelfOrAdmin(caller, model, "rotate the key");
        return _registry.RotateKeyAsync(model, cancellationToken);
    }

    private bool CanSee(Caller caller, ModelRecord record)
    {
        if (caller.IsAdmin || caller.ModelId == record.Id)
        {
            return true;
        }

        var mine = ContractOf(caller)!;
        return mine.MayQueryOtherModels && May(caller, record.Contract.Namespace, Rights.Read);
    }

    private void DemandSee(Caller caller, ModelRecord record)
    {
        if (!CanSee(caller, record))
        {
            throw new AccessDeniedException($"{caller} may not see model '{record.Id}' (needs query_other_models and read access to namespace '{record.Contract.Namespace}').");
        }
    }
}
