using System.Security.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>
/// The coordinator's side of secure aggregation. It routes encrypted shares, sums masked inputs
/// and, from at least t survivors' shares, removes the survivors' self masks and the dropped
/// clients' pairwise masks. It never holds an individual unmasked input: it learns a client's
/// self-mask seed only for survivors and a mask key only for clients whose input it never got.
/// </summary>
public sealed class SecAggServer
{
    private readonly SecAggOptions _options;
    private readonly Dictionary<string, AdvertisedKeys> _roster = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _commitments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint[]> _masked = new(StringComparer.Ordinal);
    private UnmaskRequest? _request;

    /// <summary>Creates the server for one round.</summary>
    public SecAggServer(SecAggOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Round 0: collects advertised keys (U1) and returns the roster to broadcast.</summary>
    public IReadOnlyList<AdvertisedKeys> CollectKeys(IEnumerable<AdvertisedKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var k in keys)
        {
            if (!_roster.TryAdd(k.ClientId, k))
            {
                throw new SecureAggregationException($"Client '{k.ClientId}' advertised keys twice.");
            }
        }

        RequireAtLeastThreshold(_roster.Count, "clients advertised keys");
        _options.Validate(_roster.Count);
        return [.. _roster.Values.OrderBy(k => k.ClientId, StringComparer.Ordinal)];
    }

    /// <summary>Round 1: takes the share messages (their senders are U2) and returns, per recipient in U2, the shares addressed to it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EncryptedShare>> RouteShares(IEnumerable<ShareKeysMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var received = messages.ToList();
        foreach (var m in received)
        {
            if (!_roster.ContainsKey(m.ClientId) || !_commitments.TryAdd(m.ClientId, m.SelfMaskCommitment))
            {
                throw new SecureAggregationException($"Unexpected or repeated share message from '{m.ClientId}'.");
            }
        }

        RequireAtLeastThreshold(_commitments.Count, "clients shared keys");
        return _commitments.Keys.ToDictionary(
            to => to,
            to => (IReadOnlyList<EncryptedShare>)[.. received.SelectMany(m => m.Shares).Where(s => s.To == to && _commitments.ContainsKey(s.From))],
            StringComparer.Ordinal);
    }

    /// <summary>Round 2: records one masked input (its sender joins U3).</summary>
    public void ReceiveMaskedInput(MaskedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_commitments.ContainsKey(input.ClientId) || input.Values.Length != _options.VectorLength || !_masked.TryAdd(input.ClientId, input.Values))
        {
            throw new SecureAggregationException($"Unexpected, repeated or mis-sized masked input from '{input.ClientId}'.");
        }
    }

    /// <summary>Round 3: the request to send to every survivor.</summary>
    /// <exception cref="InsufficientSharesException">Fewer than t clients sent masked inputs.</exception>
    public UnmaskRequest BeginUnmasking()
    {
        RequireAtLeastThreshold(_masked.Count, "clients sent masked inputs");
        var survivors = _masked.Keys.Order(StringComparer.Ordinal).ToList();
        var dropped = _commitments.Keys.Where(c => !_masked.ContainsKey(c)).Order(StringComparer.Ordinal).ToList();
        _request = new UnmaskRequest(survivors, dropped);
        return _request;
    }

    /// <summary>Round 3: reconstructs the masks from the survivors' shares and returns the sum of the survivors' inputs.</summary>
    /// <exception cref="InsufficientSharesException">Fewer than t survivors answered.</exception>
    /// <exception cref="ShareVerificationException">A reconstructed secret does not match its commitment or advertised public key.</exception>
    public SecAggResult Finish(IEnumerable<UnmaskResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var request = _request ?? throw new InvalidOperationException("Call BeginUnmasking first.");
        var answers = responses.Where(r => _masked.ContainsKey(r.ClientId)).DistinctBy(r => r.ClientId).ToList();
        RequireAtLeastThreshold(answers.Count, "survivors answered the unmasking request");

        var sum = new uint[_options.VectorLength];
        foreach (var values in _masked.Values)
        {
            SecAggClient.Add(sum, values, +1);
        }

        foreach (var survivor in request.Survivors)
        {
            var seed = ShamirSecretSharing.Combine([.. answers.Select(a => a.SelfMaskShares[survivor])], _options.Threshold, 32);
            if (!SHA256.HashData(seed).AsSpan().SequenceEqual(_commitments[survivor]))
            {
                throw new ShareVerificationException($"The self-mask seed reconstructed for '{survivor}' does not match its commitment.");
            }

            SecAggClient.Add(sum, MaskGenerator.Expand(seed, sum.Length), -1);
        }

        foreach (var dropped in request.Dropped)
        {
            RemovePairwiseMasks(sum, dropped, answers, request.Survivors);
        }

        return new SecAggResult(FixedPoint.Decode(sum, _options.ScaleBits), request.Survivors);
    }

    private void RemovePairwiseMasks(uint[] sum, string dropped, List<UnmaskResponse> answers, IReadOnlyList<string> survivors)
    {
        var secret = ShamirSecretSharing.Combine([.. answers.Select(a => a.MaskKeyShares[dropped])], _options.Threshold, 32);
        using var key = PairwiseKeys.ImportPrivate(secret);
        if (!PairwiseKeys.PublicBytes(key).AsSpan().SequenceEqual(_roster[dropped].MaskPublicKey))
        {
            throw new ShareVerificationException($"The mask key reconstructed for '{dropped}' does not match its advertised public key.");
        }

        foreach (var survivor in survivors)
        {
            // The survivor added +PRG(s) when its id sorts below the dropped client's, −PRG(s) otherwise.
            var seed = PairwiseKeys.MaskSeed(key, _roster[survivor].MaskPublicKey, dropped, survivor);
            var survivorSign = string.CompareOrdinal(survivor, dropped) < 0 ? +1 : -1;
            SecAggClient.Add(sum, MaskGenerator.Expand(seed, sum.Length), -survivorSign);
        }
    }

    private void RequireAtLeastThreshold(int count, string what)
    {
        if (count < _options.Threshold)
        {
            throw new InsufficientSharesException($"Only {count} {what}; the threshold is {_options.Threshold}.");
        }
    }
}
