using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RoseForest.Knowledge.Http.Http;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// Registered nodes. A registration is a replicated record <c>@node/{id}</c> (fields
/// <c>public_key</c>, <c>registered_at</c>), so every instance can verify the node's signatures and
/// weigh its votes by standing. A public key of 64 lowercase hex digits that is a valid Ed25519 key
/// makes the node <em>keyed</em>: its packages and votes must carry signatures that verify. Any
/// other key text is recorded as given and the node is unkeyed (its writes are vouched for only by
/// the API key it used). API keys are local to the instance that issued them: only their SHA-256 is
/// kept, in this node's log.
/// </summary>
internal sealed partial class KnowledgeNode
{
    private const string NodePrefix = "@node/";
    private const string PublicKeyField = "public_key";
    private const string RegisteredAtField = "registered_at";
    private readonly Dictionary<string, (string Author, double Score)> _scores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Good, int Bad)> _standing = new(StringComparer.Ordinal);

    /// <summary>The outcome of a registration.</summary>
    public sealed record Registration(bool Created, string? ApiKey, bool Keyed, string Message);

    /// <summary>
    /// Registers a node (or, with a different key, rotates its key: only the node itself or the
    /// admin may). A new node gets an API key for this instance.
    /// </summary>
    public async Task<Registration> RegisterAsync(string nodeId, string publicKey, Caller caller, bool openRegistration, CancellationToken cancellationToken)
    {
        CheckNodeId(nodeId, "node_id");
        if (publicKey.Length is 0 or > 512 || publicKey.Any(char.IsControl))
        {
            throw new KnowledgeValidationException("public_key", "must be 1 to 512 characters without control characters");
        }

        if (!openRegistration && caller.Kind != CallerKind.Admin && !caller.MayActAs(nodeId))
        {
            throw new KnowledgeHttpException(caller.Kind is CallerKind.Anonymous or CallerKind.Invalid ? 401 : 403, "Registration on this server needs the server's API key in Authorization.");
        }

        var registration = await LockedAsync(() =>
        {
            var recordId = NodePrefix + nodeId;
            var keyed = IsEd25519(publicKey);
            if (Replica.State.TryGetField(recordId, PublicKeyField, out var held))
            {
                if (held == publicKey)
                {
                    return new Registration(false, null, keyed, "Node already registered");
                }

                if (!caller.MayActAs(nodeId))
                {
                    throw new KnowledgeHttpException(caller.Kind is CallerKind.Anonymous or CallerKind.Invalid ? 401 : 403, $"Node {nodeId} is registered with another public key; only the node itself (its API key) or the server's admin key may change it.");
                }

                Replica.WriteField(recordId, PublicKeyField, publicKey);
                Commit();
                return new Registration(false, null, keyed, "Public key updated");
            }

            Replica.WriteFields(recordId, new Dictionary<string, string>
            {
                [PublicKeyField] = publicKey,
                [RegisteredAtField] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            });
            var apiKey = "rfk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            _issuedKeys[HashKey(apiKey)] = nodeId;
            _metaDirty = true;
            Commit();
            return new Registration(true, apiKey, keyed, "Node registered successfully");
        }, cancellationToken).ConfigureAwait(false);
        return registration;
    }

    /// <summary>The node an API key belongs to (issued here or configured), or null.</summary>
    public async Task<string?> NodeForKeyAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var (configured, node) in _options.NodeKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
            {
                return node;
            }
        }

        var hash = HashKey(key);
        return await LockedAsync(() => _issuedKeys.GetValueOrDefault(hash), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the registry knows of a node (null: not registered). Call under the lock.</summary>
    private VoterProfile? Profile(string nodeId)
    {
        var recordId = NodePrefix + nodeId;
        if (!Replica.State.TryGetField(recordId, PublicKeyField, out var key))
        {
            return null;
        }

        var registered = Replica.State.TryGetField(recordId, RegisteredAtField, out var at)
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : _time.GetUtcNow();
        var (good, bad) = _standing.GetValueOrDefault(nodeId);
        return new VoterProfile(nodeId, key, registered, good, bad);
    }

    /// <summary>The node's Ed25519 public key when it registered one, else null. Call under the lock.</summary>
    private string? SigningKey(string nodeId)
        => Replica.State.TryGetField(NodePrefix + nodeId, PublicKeyField, out var key) && IsEd25519(key) ? key : null;

    /// <summary>Records a package's latest score for its author's standing (g: scored ≥ 0.5, b: below).</summary>
    private void RecordScore(string knowledgeId, string author, double score)
    {
        if (_scores.TryGetValue(knowledgeId, out var old))
        {
            var (g, b) = _standing.GetValueOrDefault(old.Author);
            _standing[old.Author] = old.Score >= 0.5 ? (g - 1, b) : (g, b - 1);
        }

        _scores[knowledgeId] = (author, score);
        var (good, bad) = _standing.GetValueOrDefault(author);
        _standing[author] = score >= 0.5 ? (good + 1, bad) : (good, bad + 1);
    }

    private static bool IsEd25519(string key)
        => key.Length == 64 && key.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
           && NSec.Cryptography.PublicKey.TryImport(NSec.Cryptography.SignatureAlgorithm.Ed25519, Convert.FromHexString(key), NSec.Cryptography.KeyBlobFormat.RawPublicKey, out _);

    private static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static void CheckNodeId(string? id, string field)
    {
        if (string.IsNullOrEmpty(id) || id.Length > KnowledgeValidator.MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            throw new KnowledgeValidationException(field, "must be 1 to 128 ASCII letters, digits, '-', '_', '.' or ':'");
        }
    }
}
