using Microsoft.Extensions.VectorData;
using RoseForest.VectorData.Internal;

namespace RoseForest.VectorData;

/// <summary>
/// A collection of dynamic records: <c>Dictionary&lt;string, object?&gt;</c> keyed by the
/// definition's property names, for schemas known only at run time. The definition is required.
/// </summary>
public sealed class RoseForestDynamicCollection : RoseForestCollection<object, Dictionary<string, object?>>
{
    /// <summary>Creates the collection object over <paramref name="database"/>.</summary>
    /// <param name="database">The database: the embedded engine or a client; not disposed by the collection.</param>
    /// <param name="name">The collection's name.</param>
    /// <param name="options">Options whose <see cref="VectorStoreCollectionOptions.Definition"/> is set.</param>
    public RoseForestDynamicCollection(IVectorDatabase database, string name, RoseForestCollectionOptions options)
        : base(database, name, options, static o => new RoseForestModelBuilder(o.HasNamedVectors).BuildDynamic(
            o.Definition ?? throw new ArgumentException("A dynamic collection needs a Definition in its options.", nameof(options)),
            o.EmbeddingGenerator))
    {
    }
}
