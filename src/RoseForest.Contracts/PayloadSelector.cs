using RoseForest.Core.Payloads;

namespace RoseForest.Contracts;

/// <summary>Which part of a payload a read returns: all of it, none, only some keys, or all but some keys.</summary>
public sealed class PayloadSelector
{
    private readonly PayloadPath[] _paths;

    private PayloadSelector(bool enabled, bool include, PayloadPath[] paths)
    {
        Enabled = enabled;
        IsInclude = include;
        _paths = paths;
    }

    /// <summary>Return the whole payload.</summary>
    public static PayloadSelector All { get; } = new(true, false, []);

    /// <summary>Return no payload.</summary>
    public static PayloadSelector None { get; } = new(false, false, []);

    /// <summary>True when some payload is returned.</summary>
    public bool Enabled { get; }

    /// <summary>True when <see cref="Paths"/> are the keys to keep; false when they are the keys to leave out.</summary>
    public bool IsInclude { get; }

    /// <summary>The selected paths (empty for <see cref="All"/> and <see cref="None"/>).</summary>
    public IReadOnlyList<PayloadPath> Paths => _paths;

    /// <summary>Return only these keys (dotted paths allowed).</summary>
    public static PayloadSelector Include(params string[] keys) => new(true, true, [.. keys.Select(k => PayloadPath.Parse(k, "with_payload.include"))]);

    /// <summary>Return everything except these keys.</summary>
    public static PayloadSelector Exclude(params string[] keys) => new(true, false, [.. keys.Select(k => PayloadPath.Parse(k, "with_payload.exclude"))]);

    /// <summary><see cref="All"/> or <see cref="None"/>.</summary>
    public static implicit operator PayloadSelector(bool withPayload) => withPayload ? All : None;
}
