namespace RoseForest.Communication.Access;

/// <summary>
/// Who is asking: the administrator (the server's API key, or an open server), or a registered
/// model (its own key). Every operation of the hub takes one and checks it.
/// </summary>
public sealed record Caller
{
    private Caller(string? modelId) => ModelId = modelId;

    /// <summary>The administrator: may do everything.</summary>
    public static Caller Admin { get; } = new((string?)null);

    /// <summary>A registered model.</summary>
    public static Caller Model(string modelId) => new(modelId ?? throw new ArgumentNullException(nameof(modelId)));

    /// <summary>The model's id, or null for the administrator.</summary>
    public string? ModelId { get; }

    /// <summary>True for the administrator.</summary>
    public bool IsAdmin => ModelId is null;

    /// <inheritdoc />
    public override string ToString() => ModelId is null ? "admin" : $"model '{ModelId}'";
}
