namespace RoseForest.Embeddings.Registry;

/// <summary>
/// What a registered embedder is: the name it is looked up by, the model id, a version string that
/// pins the exact vector space (to be folded into deterministic point ids and checked before mixing
/// vectors), and the dimension.
/// </summary>
public sealed record EmbedderDescriptor(string Name, string ModelId, string Version, int Dimensions)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Version);
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1);
    }
}
