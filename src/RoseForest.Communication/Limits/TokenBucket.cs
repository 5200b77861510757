namespace RoseForest.Communication.Limits;

/// <summary>
/// A token bucket on an injected clock: <see cref="Rate"/> tokens a second, holding at most
/// <see cref="Capacity"/> (one second's worth, at least 1). <see cref="TryTake"/> admits a request
/// costing n tokens or says when it could be admitted. Over a long run the admitted rate is the
/// rate, plus at most one burst of the capacity.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _stamp;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(double rate, TimeProvider time)
    {
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "must be a positive number.");
        }

        _time = time;
        Rate = rate;
        Capacity = Math.Max(1, rate);
        _tokens = Capacity;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Tokens added a second.</summary>
    public double Rate { get; }

    /// <summary>The most tokens the bucket holds.</summary>
    public double Capacity { get; }

    /// <summary>Takes <paramref name="cost"/> tokens if there are that many; else returns false and how long until there are.</summary>
    public bool TryTake(double cost, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(Capacity, _tokens + (_time.GetElapsedTime(_stamp, now).TotalSeconds * Rate));
            _stamp = now;
            // A request costing more than the capacity could never pass: charge it the capacity.
            cost = Math.Min(cost, Capacity);
            if (_tokens >= cost)
            {
                _tokens -= cost;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((cost - _tokens) / Rate);
            return false;
        }
    }
}
