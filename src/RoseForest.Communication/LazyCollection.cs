using System.Runtime.CompilerServices;

namespace RoseForest.Communication;

/// <summary>
/// An internal collection created on its first write, so a server that never uses model
/// communication has no <c>_hvs_*</c> collections (and its collection list is unchanged).
/// </summary>
internal sealed class LazyCollection(IVectorDatabase database, string name, Func<Task<CollectionOptions>>? options = null)
{
    private IVectorCollection? _collection;

    /// <summary>The collection, created if missing.</summary>
    public async ValueTask<IVectorCollection> GetAsync(CancellationToken ct) =>
        _collection ??= await Store.OpenAsync(database, name, ct, options is null ? null : await options().ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Every record of the collection if it exists (nothing otherwise).</summary>
    public async IAsyncEnumerable<Record> ScrollIfExistsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (_collection is null && !await database.CollectionExistsAsync(name, ct).ConfigureAwait(false))
        {
            yield break;
        }

        _collection ??= database.GetCollection(name);
        await foreach (var r in Store.ScrollAllAsync(_collection, ct).ConfigureAwait(false))
        {
            yield return r;
        }
    }
}
