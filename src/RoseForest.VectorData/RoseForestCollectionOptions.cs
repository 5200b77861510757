using Microsoft.Extensions.VectorData;

namespace RoseForest.VectorData;

/// <summary>
/// Options of a <see cref="RoseForestCollection{TKey, TRecord}"/>: the record definition and
/// embedding generator MEVD defines, and how vector properties map to RoseForest vectors.
/// </summary>
public sealed class RoseForestCollectionOptions : VectorStoreCollectionOptions
{
    /// <summary>Creates default options.</summary>
    public RoseForestCollectionOptions()
    {
    }

    /// <summary>A copy of <paramref name="source"/>.</summary>
    public RoseForestCollectionOptions(RoseForestCollectionOptions source)
        : base(source)
    {
        ArgumentNullException.ThrowIfNull(source);
        HasNamedVectors = source.HasNamedVectors;
    }

    /// <summary>
    /// Whether vector properties map to named vectors (name = the property's storage name) or, for a
    /// record with one vector property, to the collection's unnamed vector (Qdrant's layout, as
    /// Qdrant's provider does with <c>HasNamedVectors = false</c>). Null (the default): named exactly
    /// when the record has more than one vector property.
    /// </summary>
    public bool? HasNamedVectors { get; set; }
}
