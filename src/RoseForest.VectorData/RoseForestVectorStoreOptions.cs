using Microsoft.Extensions.AI;

namespace RoseForest.VectorData;

/// <summary>Options of a <see cref="RoseForestVectorStore"/>, passed on to every collection it hands out.</summary>
public sealed class RoseForestVectorStoreOptions
{
    /// <summary>The embedding generator for vector properties that set none of their own (and whose collection sets none).</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; init; }

    /// <summary>
    /// Whether vector properties map to named vectors (name = the property's storage name) or, for a
    /// record with one vector property, to the collection's unnamed vector. Null (the default): named
    /// exactly when the record has more than one vector property.
    /// </summary>
    public bool? HasNamedVectors { get; init; }
}
