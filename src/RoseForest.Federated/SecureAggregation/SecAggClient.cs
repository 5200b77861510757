using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>
/// One client's side of a secure-aggregation round (Bonawitz et al. 2017, with the per-round
/// steps of SecAgg+ by Bell et al. 2020 over a complete graph). A fresh instance per round: it
/// generates fresh X25519 key pairs and a fresh self-mask seed.
/// </summary>
public sealed class SecAggClient : IDisposable
{
    private const int SeedBytes = 32;
    private readonly SecAggOptions _options;
    private readonly Key _channelKey = PairwiseKeys.NewKey();
    private readonly Key _maskKey = PairwiseKeys.NewKey();
    private readonly byte[] _selfSeed = RandomNumberGenerator.GetBytes(SeedBytes);
    private readonly Dictionary<string, AdvertisedKeys> _roster = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ShamirShare Self, ShamirShare Key)> _held = new(StringComparer.Ordinal);
    private bool _masked;

    /// <summary>Creates the client for one round.</summary>
    public SecAggClient(string clientId, SecAggOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(options);
        ClientId = clientId;
        _options = options;
    }

    /// <summary>This client's id.</summary>
    public string ClientId { get; }

    /// <summary>Round 0: the public keys to send to the server.</summary>
    public AdvertisedKeys AdvertiseKeys() => new(ClientId, PairwiseKeys.PublicBytes(_channelKey), PairwiseKeys.PublicBytes(_maskKey));

    /// <summary>
    /// Round 1: given every client's advertised keys, Shamir-share the self-mask seed and the mask
    /// private key t-of-n, and encrypt each peer's pair of shares to that peer.
    /// </summary>
    public ShareKeysMessage ShareKeys(IReadOnlyList<AdvertisedKeys> roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var ordered = roster.OrderBy(k => k.ClientId, StringComparer.Ordinal).ToList();
        _options.Validate(ordered.Count);
        foreach (var keys in ordered)
        {
            _roster.Add(keys.ClientId, keys);
        }

        if (!_roster.TryGetValue(ClientId, out var own) || !own.MaskPublicKey.AsSpan().SequenceEqual(PairwiseKeys.PublicBytes(_maskKey)))
        {
            throw new SecureAggregationException($"The roster does not carry client '{ClientId}''s own keys.");
        }

        var selfShares = ShamirSecretSharing.Split(_selfSeed, ordered.Count, _options.Threshold);
        var keyShares = ShamirSecretSharing.Split(PairwiseKeys.PrivateBytes(_maskKey), ordered.Count, _options.Threshold);
        var messages = new List<EncryptedShare>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var peer = ordered[i].ClientId;
            if (peer == ClientId)
            {
                _held[ClientId] = (selfShares[i], keyShares[i]);
                continue;
            }

            var plaintext = new byte[2 * ShamirSecretSharing.ElementBytes];
            ShamirSecretSharing.ToBytes(selfShares[i].Y).CopyTo(plaintext, 0);
            ShamirSecretSharing.ToBytes(keyShares[i].Y).CopyTo(plaintext, ShamirSecretSharing.ElementBytes);
            var key = PairwiseKeys.ChannelKey(_channelKey, ordered[i].ChannelPublicKey, ClientId, peer);
            messages.Add(new EncryptedShare(ClientId, peer, ShareCipher.Encrypt(key, plaintext, ClientId, peer)));
        }

        return new ShareKeysMessage(ClientId, messages, SHA256.HashData(_selfSeed));
    }

    /// <summary>Round 1 (delivery): the shares the server routed to this client; each is authenticated and decrypted.</summary>
    /// <exception cref="ShareAuthenticationException">A share was altered or is not for this client.</exception>
    public void ReceiveShares(IEnumerable<EncryptedShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var myX = XOf(ClientId);
        foreach (var share in shares)
        {
            if (share.To != ClientId || !_roster.TryGetValue(share.From, out var sender))
            {
                throw new ShareAuthenticationException($"A share from '{share.From}' to '{share.To}' is not for client '{ClientId}'.");
            }

            var key = PairwiseKeys.ChannelKey(_channelKey, sender.ChannelPublicKey, share.From, ClientId);
            var plaintext = ShareCipher.Decrypt(key, share.Ciphertext, share.From, ClientId);
            var self = ShamirSecretSharing.FromBytes(plaintext.AsSpan(0, ShamirSecretSharing.ElementBytes));
            var mask = ShamirSecretSharing.FromBytes(plaintext.AsSpan(ShamirSecretSharing.ElementBytes));
            _held[share.From] = (new ShamirShare(myX, self), new ShamirShare(myX, mask));
        }
    }

    /// <summary>
    /// Round 2: the input quantized to Z/2³², plus the self mask PRG(b), plus PRG(s_uv) for each
    /// peer v with id above this one and minus it for each below (peers are the clients whose
    /// shares arrived).
    /// </summary>
    public MaskedInput MaskInput(ReadOnlySpan<float> input)
    {
        if (input.Length != _options.VectorLength)
        {
            throw new ArgumentException($"The input has {input.Length} values; the round expects {_options.VectorLength}.", nameof(input));
        }

        var values = FixedPoint.Encode(input, _options.ClipRange, _options.ScaleBits);
        Add(values, MaskGenerator.Expand(_selfSeed, values.Length), +1);
        foreach (var peer in _held.Keys.Where(p => p != ClientId))
        {
            var seed = PairwiseKeys.MaskSeed(_maskKey, _roster[peer].MaskPublicKey, ClientId, peer);
            Add(values, MaskGenerator.Expand(seed, values.Length), string.CompareOrdinal(ClientId, peer) < 0 ? +1 : -1);
        }

        _masked = true;
        return new MaskedInput(ClientId, values);
    }

    /// <summary>
    /// Round 3: the shares the server needs: of each survivor's self-mask seed and of each dropped
    /// client's mask key. Refuses a request that names a client in both lists (which would let
    /// the server unmask that client's input), or fewer survivors than the threshold.
    /// </summary>
    public UnmaskResponse Unmask(UnmaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_masked)
        {
            throw new InvalidOperationException("Unmasking comes after this client sent its masked input.");
        }

        if (request.Survivors.Intersect(request.Dropped, StringComparer.Ordinal).Any())
        {
            throw new SecureAggregationException("The request names a client both as survivor and as dropped.");
        }

        if (request.Survivors.Distinct(StringComparer.Ordinal).Count() < _options.Threshold)
        {
            throw new InsufficientSharesException($"{request.Survivors.Count} survivors are fewer than the threshold {_options.Threshold}.");
        }

        if (!request.Survivors.Contains(ClientId, StringComparer.Ordinal))
        {
            throw new SecureAggregationException("Only a surviving client answers the unmasking request.");
        }

        var self = request.Survivors.ToDictionary(s => s, s => Held(s).Self, StringComparer.Ordinal);
        var keys = request.Dropped.ToDictionary(d => d, d => Held(d).Key, StringComparer.Ordinal);
        return new UnmaskResponse(ClientId, self, keys);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _channelKey.Dispose();
        _maskKey.Dispose();
        CryptographicOperations.ZeroMemory(_selfSeed);
    }

    internal static void Add(uint[] target, uint[] mask, int sign)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = unchecked(sign > 0 ? target[i] + mask[i] : target[i] - mask[i]);
        }
    }

    private (ShamirShare Self, ShamirShare Key) Held(string client) =>
        _held.TryGetValue(client, out var shares) ? shares : throw new SecureAggregationException($"Client '{ClientId}' holds no shares of '{client}'.");

    private int XOf(string client) => _roster.Keys.Order(StringComparer.Ordinal).ToList().IndexOf(client) + 1;

    internal static byte[] Aad(string from, string to) => Encoding.UTF8.GetBytes($"{from}\0{to}");
}
