using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace RoseForest.VectorData;

/// <summary>Registers RoseForest's MEVD store and collections in a service collection.</summary>
public static class RoseForestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RoseForestVectorStore"/> as itself and as <see cref="VectorStore"/>. The
    /// database comes from <paramref name="databaseProvider"/>, or else the registered
    /// <see cref="IVectorDatabase"/>; the embedding generator from the options, or else a registered
    /// <see cref="IEmbeddingGenerator"/>.
    /// </summary>
    public static IServiceCollection AddRoseForestVectorStore(
        this IServiceCollection services,
        Func<IServiceProvider, IVectorDatabase>? databaseProvider = null,
        Func<IServiceProvider, RoseForestVectorStoreOptions>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Add(new ServiceDescriptor(typeof(RoseForestVectorStore), sp =>
        {
            var database = databaseProvider?.Invoke(sp) ?? sp.GetRequiredService<IVectorDatabase>();
            var options = optionsProvider?.Invoke(sp) ?? new RoseForestVectorStoreOptions();
            if (options.EmbeddingGenerator is null && sp.GetService<IEmbeddingGenerator>() is { } generator)
            {
                options = new RoseForestVectorStoreOptions { EmbeddingGenerator = generator, HasNamedVectors = options.HasNamedVectors };
            }

            return new RoseForestVectorStore(database, options);
        }, lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStore), sp => sp.GetRequiredService<RoseForestVectorStore>(), lifetime));
        return services;
    }

    /// <summary>
    /// Registers <see cref="RoseForestCollection{TKey, TRecord}"/> named <paramref name="name"/> as
    /// itself, as <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/>
    /// and <see cref="IKeywordHybridSearchable{TRecord}"/>. The database and embedding generator are
    /// found as for <see cref="AddRoseForestVectorStore"/>.
    /// </summary>
    public static IServiceCollection AddRoseForestCollection<TKey, TRecord>(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, IVectorDatabase>? databaseProvider = null,
        Func<IServiceProvider, RoseForestCollectionOptions>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.Add(new ServiceDescriptor(typeof(RoseForestCollection<TKey, TRecord>), sp =>
        {
            var database = databaseProvider?.Invoke(sp) ?? sp.GetRequiredService<IVectorDatabase>();
            var options = optionsProvider?.Invoke(sp) is { } given ? new RoseForestCollectionOptions(given) : new RoseForestCollectionOptions();
            options.EmbeddingGenerator ??= sp.GetService<IEmbeddingGenerator>();
            return new RoseForestCollection<TKey, TRecord>(database, name, options);
        }, lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStoreCollection<TKey, TRecord>), sp => sp.GetRequiredService<RoseForestCollection<TKey, TRecord>>(), lifetime));
        services.Add(new ServiceDescriptor(typeof(IVectorSearchable<TRecord>), sp => sp.GetRequiredService<RoseForestCollection<TKey, TRecord>>(), lifetime));
        services.Add(new ServiceDescriptor(typeof(IKeywordHybridSearchable<TRecord>), sp => sp.GetRequiredService<RoseForestCollection<TKey, TRecord>>(), lifetime));
        return services;
    }
}
