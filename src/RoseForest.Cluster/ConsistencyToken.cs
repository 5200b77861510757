using System.Globalization;
using System.Text;

namespace RoseForest.Cluster;

/// <summary>
/// Where a write landed: for each shard it touched, the log sequence it got. A read given the
/// token with <see cref="ReadConsistencyMode.Session"/> is served by a replica only once that
/// replica has applied every listed sequence (read-your-writes, across nodes). Text form:
/// <c>shard:seq,shard:seq</c> (the REST API's <c>x-roseforest-consistency-token</c> header).
/// </summary>
public sealed class ConsistencyToken
{
    private readonly SortedDictionary<long, long> _sequences;

    /// <summary>A token from shard → sequence pairs.</summary>
    public ConsistencyToken(IEnumerable<KeyValuePair<long, long>> sequences)
    {
        _sequences = [];
        foreach (var (shard, seq) in sequences)
        {
            _sequences[shard] = Math.Max(seq, _sequences.GetValueOrDefault(shard));
        }
    }

    /// <summary>Shard id → sequence.</summary>
    public IReadOnlyDictionary<long, long> Sequences => _sequences;

    /// <summary>The sequence a shard must have applied (0: none).</summary>
    public long For(long shardId) => _sequences.GetValueOrDefault(shardId);

    /// <summary>The later of two tokens, shard by shard (a client that wrote twice keeps one token).</summary>
    public ConsistencyToken Merge(ConsistencyToken other) => new(_sequences.Concat(other._sequences));

    /// <summary>Parses <c>shard:seq,…</c>; throws <see cref="ValidationException"/>.</summary>
    public static ConsistencyToken Parse(string text)
    {
        var pairs = new List<KeyValuePair<long, long>>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0
                || !long.TryParse(part.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
                || !long.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                throw new ValidationException("consistency_token", $"expected shard:sequence pairs separated by commas, got '{text}'.");
            }

            pairs.Add(new(shard, seq));
        }

        return new ConsistencyToken(pairs);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (shard, seq) in _sequences)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{shard}:{seq}");
        }

        return text.ToString();
    }
}
