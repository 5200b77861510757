using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Limits;
using RoseForest.Communication.Mailboxes;
using RoseForest.Communication.Registry;
using RoseForest.Communication.Spaces;
using RoseForest.Communication.States;

namespace RoseForest.Communication;

/// <summary>
/// Model communication's service: every operation takes the <see cref="Caller"/> and checks it
/// (its namespace rights through <see cref="AccessPolicy"/>, its contract's permissions and
/// resource limits) before touching anything. The REST routes, the MCP tools and the A2A door
/// are adapters over it. Everything it keeps is in the engine's collections (<c>_hvs_*</c>).
/// </summary>
public sealed partial class CommunicationHub : IAsyncDisposable
{
    private readonly IVectorDatabase _database;
    private readonly CommunicationOptions _options;
    private readonly ModelRegistry _registry;
    private readonly ModelLimits _limits;
    private readonly StorageLedger _ledger;
    private readonly MailboxService _mail;
    private readonly SpaceService _spaces;
    private readonly StateRegistry _states;

    private CommunicationHub(IVectorDatabase database, CommunicationOptions options)
    {
        _database = database;
        _options = options;
        _registry = new ModelRegistry(database, options.TimeProvider);
        _limits = new ModelLimits(options.TimeProvider);
        _ledger = new StorageLedger(m => _registry.Models.TryGetValue(m, out var r) ? r.Contract.MaxStorageMb : null);
        _mail = new MailboxService(database, options, _ledger);
        _spaces = new SpaceService(database, options, _ledger);
        _states = new StateRegistry(database, options);
    }

    private Task<int>? _dimension;

    /// <summary>The dimension of message, state and document embeddings: the embedder's, found by embedding once on first need (so a server that never uses communication never loads its embedder).</summary>
    public Task<int> EmbeddingDimensionAsync() => _dimension ??= ProbeAsync();

    private async Task<int> ProbeAsync()
    {
        var probe = await _options.Embedder.GenerateAsync(["dimension probe"]).ConfigureAwait(false);
        return probe[0].Vector.Length;
    }

    /// <summary>The embedder's name, as used in rebuilt documents' ids.</summary>
    public string EmbedderName { get; private set; } = "embedder";

    /// <summary>The clock.</summary>
    public TimeProvider Time => _options.TimeProvider;

    /// <summary>Opens (or creates) model communication over a database.</summary>
    public static async Task<CommunicationHub> OpenAsync(IVectorDatabase database, CommunicationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var hub = new CommunicationHub(database, options);
        hub.EmbedderName = options.EmbedderName ?? options.Embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embedder";
        await hub._registry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await hub._mail.OpenAsync(hub.EmbeddingDimensionAsync, cancellationToken).ConfigureAwait(false);
        await hub._spaces.OpenAsync(cancellationToken).ConfigureAwait(false);
        await hub._states.OpenAsync(hub.EmbeddingDimensionAsync, cancellationToken).ConfigureAwait(false);
        return hub;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _mail.DisposeAsync().ConfigureAwait(false);
        _limits.Dispose();
    }

    /// <summary>The model a presented key belongs to, or null when it is no model's key.</summary>
    public Caller? Identify(string presentedKey) => _registry.Identify(presentedKey) is { } id ? Caller.Model(id) : null;

    /// <summary>The registered models.</summary>
    public IReadOnlyDictionary<string, ModelRecord> Models => _registry.Models;

    /// <summary>The namespaces.</summary>
    public IReadOnlyDictionary<string, NamespaceRecord> Namespaces => _registry.Namespaces;

    /// <summary>The contract of a registered model; <see cref="NotFoundException"/> otherwise.</summary>
    public ModelRecord Model(string id) => _registry.Models.TryGetValue(id, out var m) ? m : throw new NotFoundException($"model '{id}' is not registered.");

    /// <summary>The caller's contract (null for the administrator).</summary>
    private ModelContract? ContractOf(Caller caller) => caller.ModelId is { } id ? Model(id).Contract : null;

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the caller holds <paramref name="right"/> on <paramref name="ns"/>.</summary>
    public void Demand(Caller caller, string ns, Rights right)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return;
        }

        var contract = ContractOf(caller)!;
        if (!_registry.Namespaces.TryGetValue(ns, out var record))
        {
            throw new AccessDeniedException($"{caller} may not {Verb(right)} namespace '{ns}': it does not exist.");
        }

        if (!AccessPolicy.Allows(contract, record, right))
        {
            throw new AccessDeniedException($"{caller} may not {Verb(right)} namespace '{ns}' (home '{contract.Namespace}', policy {AccessNames.Name(record.PolicyToward(contract.Namespace))}, visibility {AccessNames.Name(record.Visibility)}).");
        }
    }

    /// <summary>True when the caller holds <paramref name="right"/> on <paramref name="ns"/>.</summary>
    public bool May(Caller caller, string ns, Rights right)
    {
        try
        {
            Demand(caller, ns, right);
            return true;
        }
        catch (AccessDeniedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The check of a Qdrant collection route for a model: the collection must belong to a namespace
    /// (<c>&lt;namespace&gt;__&lt;name&gt;</c>) the model may read or write. Internal and unowned
    /// collections are the administrator's.
    /// </summary>
    public void DemandCollection(Caller caller, string collection, bool write)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return;
        }

        var ns = NamespaceNames.OwnerOfCollection(collection) ?? throw new AccessDeniedException($"{caller} may not use collection '{collection}': it belongs to no namespace (name it <namespace>__<name>).");
        Demand(caller, ns, write ? Rights.Write : Rights.Read);
    }

    /// <summary>
    /// The one decision for a call on a Qdrant collection made with a model key, whatever the door
    /// (REST route, gRPC method): reads need read rights on the collection's namespace and cost one
    /// query, writes need write rights and cost <paramref name="vectors"/> vectors, deleting needs
    /// admin, and server-wide operations are the administrator's only.
    /// </summary>
    public void Authorize(Caller caller, CollectionAccess access, string? collection, int vectors = 1)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return;
        }

        if (access == CollectionAccess.Server || collection is null)
        {
            throw new AccessDeniedException($"{caller} may not call server-wide operations: a model key reaches only its namespaces' collections (<namespace>__<name>) and the communication routes.");
        }

        switch (access)
        {
            case CollectionAccess.Read:
                DemandCollection(caller, collection, write: false);
                ChargeQuery(caller);
                break;
            case CollectionAccess.Write:
                DemandCollection(caller, collection, write: true);
                ChargeVectors(caller, Math.Max(1, vectors));
                break;
            default:
                Demand(caller, NamespaceNames.OwnerOfCollection(collection) ?? throw new AccessDeniedException($"{caller} may not delete collection '{collection}': it belongs to no namespace."), Rights.Admin);
                break;
        }
    }

    /// <summary>Charges one query to a model's queries/s bucket (<see cref="RateLimitedException"/> when empty).</summary>
    public void ChargeQuery(Caller caller)
    {
        if (ContractOf(caller) is { } c)
        {
            _limits.ChargeQuery(c);
        }
    }

    /// <summary>Charges vectors to a model's vectors/s bucket (<see cref="RateLimitedException"/> when empty).</summary>
    public void ChargeVectors(Caller caller, int vectors)
    {
        if (ContractOf(caller) is { } c)
        {
            _limits.ChargeVectors(c, vectors);
        }
    }

    /// <summary>The bytes a model has stored through communication.</summary>
    public long StorageUsed(string model) => _ledger.Used(model);

    private static string Verb(Rights right) => right switch { Rights.Read => "read", Rights.Write => "write", _ => "administer" };

    private async Task<float[]> EmbedAsync(string text, CancellationToken ct) =>
        (await _options.Embedder.GenerateAsync([text], cancellationToken: ct).ConfigureAwait(false))[0].Vector.ToArray();

    private static void DemandSelfOrAdmin(Caller caller, string model, string what)
    {
        if (!caller.IsAdmin && caller.ModelId != model)
        {
            throw new AccessDeniedException($"{caller} may not {what} of model '{model}'.");
        }
    }

    private static JsonObject Parse(JsonNode? node, string field) => node as JsonObject ?? throw new ValidationException(field, "must be a JSON object.");
}
