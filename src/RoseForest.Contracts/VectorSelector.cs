namespace RoseForest.Contracts;

/// <summary>Which vectors a read returns (Qdrant's <c>with_vector</c>): none, all, or the named ones (<c>""</c> is the unnamed vector).</summary>
public sealed class VectorSelector
{
    private VectorSelector(bool all, IReadOnlyList<string>? names)
    {
        IsAll = all;
        Names = names;
    }

    /// <summary>Every vector.</summary>
    public static VectorSelector All { get; } = new(true, null);

    /// <summary>No vector.</summary>
    public static VectorSelector None { get; } = new(false, null);

    /// <summary>True for <see cref="All"/>.</summary>
    public bool IsAll { get; }

    /// <summary>The names asked for, or null for all or none.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>True when some vector is returned.</summary>
    public bool Enabled => IsAll || Names is { Count: > 0 };

    /// <summary>Only these vectors.</summary>
    public static VectorSelector Only(params string[] names) => new(false, names);

    /// <summary><see cref="All"/> or <see cref="None"/>.</summary>
    public static implicit operator VectorSelector(bool withVector) => withVector ? All : None;

    /// <summary>True when the vector of that name is returned.</summary>
    public bool Includes(string name) => IsAll || (Names?.Contains(name) ?? false);
}
