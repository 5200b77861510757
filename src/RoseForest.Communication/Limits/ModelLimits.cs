using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RoseForest.Communication.Contracts;

namespace RoseForest.Communication.Limits;

/// <summary>
/// The resource limits of every model's contract: a vectors/s and a queries/s token bucket per
/// model (rebuilt when its contract changes), and the count of refusals as the metric
/// <c>roseforest.hvs.rate_limited</c> (tagged with the model and the limit).
/// </summary>
internal sealed class ModelLimits(TimeProvider time) : IDisposable
{
    /// <summary>The meter's name (RoseForest.Host's REST part exports it at /metrics).</summary>
    public const string MeterName = "RoseForest.Communication";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("roseforest.hvs.rate_limited", description: "Requests refused by a model's resource limits");
    private readonly ConcurrentDictionary<string, Buckets> _buckets = new(StringComparer.Ordinal);

    /// <summary>Charges <paramref name="vectors"/> vectors to the model, or throws <see cref="RateLimitedException"/>.</summary>
    public void ChargeVectors(ModelContract contract, int vectors)
    {
        if (vectors > 0)
        {
            Charge(contract, For(contract).Vectors, vectors, "max_vectors_per_second");
        }
    }

    /// <summary>Charges one query to the model, or throws <see cref="RateLimitedException"/>.</summary>
    public void ChargeQuery(ModelContract contract) => Charge(contract, For(contract).Queries, 1, "max_queries_per_second");

    public void Dispose()
    {
    }

    private static void Charge(ModelContract contract, TokenBucket bucket, int cost, string limit)
    {
        if (!bucket.TryTake(cost, out var retry))
        {
            Refusals.Add(1, new KeyValuePair<string, object?>("model", contract.ModelId), new KeyValuePair<string, object?>("limit", limit));
            throw new RateLimitedException($"model '{contract.ModelId}' is over its {limit} ({(limit == "max_queries_per_second" ? contract.MaxQueriesPerSecond : contract.MaxVectorsPerSecond)}).", retry);
        }
    }

    private Buckets For(ModelContract contract)
    {
        var buckets = _buckets.GetOrAdd(contract.ModelId, _ => new Buckets(contract, time));
        if (!ReferenceEquals(buckets.Contract, contract))
        {
            buckets = new Buckets(contract, time);
            _buckets[contract.ModelId] = buckets;
        }

        return buckets;
    }

    private sealed class Buckets(ModelContract contract, TimeProvider time)
    {
        public ModelContract Contract { get; } = contract;

        public TokenBucket Vectors { get; } = new(contract.MaxVectorsPerSecond, time);

        public TokenBucket Queries { get; } = new(contract.MaxQueriesPerSecond, time);
    }
}
