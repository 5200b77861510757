namespace RoseForest.Knowledge.Http.Http;

/// <summary>
/// A token bucket per caller (node, key kind or address): <c>perMinute</c> tokens, refilled
/// continuously, one per request. A refusal says how many whole seconds until the next token
/// (the <c>Retry-After</c> header). Time comes from the injected clock.
/// </summary>
internal sealed class RateLimiter(int perMinute, TimeProvider time)
{
    private readonly Dictionary<string, (double Tokens, long At)> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token for <paramref name="partition"/>; null when allowed, else the seconds to wait.</summary>
    public int? TryAcquire(string partition)
    {
        if (perMinute <= 0)
        {
            return null;
        }

        var now = time.GetTimestamp();
        lock (_buckets)
        {
            if (_buckets.Count > 100_000)
            {
                // Forget callers whose buckets are full again: they have been idle for a minute.
                foreach (var key in _buckets.Where(b => Refilled(b.Value, now) >= perMinute).Select(b => b.Key).ToList())
                {
                    _buckets.Remove(key);
                }
            }

            var tokens = _buckets.TryGetValue(partition, out var bucket) ? Refilled(bucket, now) : perMinute;
            if (tokens >= 1)
            {
                _buckets[partition] = (tokens - 1, now);
                return null;
            }

            _buckets[partition] = (tokens, now);
            return (int)Math.Ceiling((1 - tokens) * 60.0 / perMinute);
        }
    }

    private double Refilled((double Tokens, long At) bucket, long now)
        => Math.Min(perMinute, bucket.Tokens + (time.GetElapsedTime(bucket.At, now).TotalSeconds * perMinute / 60.0));
}
