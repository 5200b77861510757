using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using RoseForest.Core.Filters;
using RoseForest.VectorData.Internal;

namespace RoseForest.VectorData;

/// <content>Vector search, hybrid search and filtered reads.</content>
public partial class RoseForestCollection<TKey, TRecord>
{
    private const int MinHybridDepth = 64;

    /// <summary>
    /// The nearest records to <paramref name="searchValue"/>: a vector (<c>ReadOnlyMemory&lt;float&gt;</c>,
    /// <c>float[]</c>, <c>Embedding&lt;float&gt;</c>) or anything the property's embedding generator takes
    /// (a string, say). Scores are in the distance function's terms (similarities: higher is better;
    /// distances: lower is better).
    /// </summary>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new VectorSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        CheckIncludeVectors(options.IncludeVectors);
        var property = _model.GetVectorPropertyOrSingle(options);
        var vector = await ToVectorAsync(searchValue, property, cancellationToken).ConfigureAwait(false);
        var request = new SearchRequest
        {
            Vector = vector,
            Using = _mapper.NamedVectors ? property.StorageName : null,
            Limit = top,
            Offset = options.Skip,
            Filter = TranslateFilter(options.Filter),
            ScoreThreshold = DistanceMapping.ToNativeThreshold(property.DistanceFunction, options.ScoreThreshold),
            WithPayload = PayloadSelector.All,
            WithVector = options.IncludeVectors,
        };
        var hits = await RunValueAsync("Search", () => Collection().SearchAsync(request, cancellationToken)).ConfigureAwait(false);
        foreach (var hit in hits)
        {
            var record = _mapper.ToRecord<TRecord>(hit.Id, hit.Payload, hit.Vector, hit.Vectors, options.IncludeVectors);
            yield return new VectorSearchResult<TRecord>(record, DistanceMapping.ToScore(property.DistanceFunction, hit.Score));
        }
    }

    /// <summary>
    /// Hybrid search: the nearest records to the vector, fused by reciprocal rank fusion with the
    /// nearest records among those whose full-text property contains one of the keywords (RoseForest's
    /// full-text match: every word of a keyword, case-insensitive). A record that matches a keyword
    /// and is near ranks first. Scores are RRF scores (higher is better).
    /// </summary>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(
        TInput searchValue,
        ICollection<string> keywords,
        int top,
        HybridSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new HybridSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        CheckIncludeVectors(options.IncludeVectors);
        var property = _model.GetVectorPropertyOrSingle(new VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        var textProperty = _model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        var vector = await ToVectorAsync(searchValue, property, cancellationToken).ConfigureAwait(false);
        var filter = TranslateFilter(options.Filter);
        var words = keywords.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Condition.Text(textProperty.StorageName, k)).ToArray();
        var keywordFilter = new Filter(
            must: filter is null ? [] : [Condition.Nested(filter)],
            should: words);
        // Each side passes up at least 64 candidates, so that pages (Skip) of one query agree: a
        // point's RRF score depends on its rank in each list, not on how long the lists are.
        var depth = Math.Max(top + options.Skip, MinHybridDepth);
        var usingName = _mapper.NamedVectors ? property.StorageName : null;
        var request = new QueryRequest
        {
            Prefetch =
            [
                new Prefetch { Query = new NearestQuery(vector), Using = usingName, Filter = filter, Limit = depth },
                new Prefetch { Query = new NearestQuery(vector), Using = usingName, Filter = keywordFilter, Limit = depth },
            ],
            Query = FusionQuery.Rrf,
            Limit = top,
            Offset = options.Skip,
            ScoreThreshold = options.ScoreThreshold,
            WithPayload = PayloadSelector.All,
            WithVector = options.IncludeVectors,
        };
        var hits = await RunValueAsync("HybridSearch", () => Collection().QueryAsync(request, cancellationToken)).ConfigureAwait(false);
        foreach (var hit in hits)
        {
            yield return new VectorSearchResult<TRecord>(
                _mapper.ToRecord<TRecord>(hit.Id, hit.Payload, hit.Vector, hit.Vectors, options.IncludeVectors), hit.Score);
        }
    }

    /// <summary>
    /// The records matching <paramref name="filter"/>, in key order, or in the order of one data
    /// property (numbers and dates; RoseForest orders by one property only).
    /// </summary>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new FilteredRecordRetrievalOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        CheckIncludeVectors(options.IncludeVectors);
        var translated = TranslateFilter(filter);
        Query? query = null;
        var sorts = options.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values;
        if (sorts is { Count: > 0 })
        {
            if (sorts.Count > 1)
            {
                throw new NotSupportedException("RoseForest orders by one property only; OrderBy names several.");
            }

            var sort = sorts[0];
            var sortProperty = _model.GetDataOrKeyProperty(sort.PropertySelector);
            if (sortProperty is KeyPropertyModel)
            {
                query = sort.Ascending ? null : throw new NotSupportedException("RoseForest lists points by key in ascending order only.");
            }
            else if (IsOrderable(sortProperty.Type))
            {
                query = new OrderByQuery(sortProperty.StorageName) { Direction = sort.Ascending ? OrderDirection.Asc : OrderDirection.Desc };
            }
            else
            {
                throw new NotSupportedException(
                    $"RoseForest orders by numbers and dates; '{sortProperty.ModelName}' is a {sortProperty.Type.Name}.");
            }
        }

        var request = new QueryRequest
        {
            Query = query,
            Filter = translated,
            Limit = top,
            Offset = options.Skip,
            WithPayload = PayloadSelector.All,
            WithVector = options.IncludeVectors,
        };
        var points = await RunValueAsync("Get", () => Collection().QueryAsync(request, cancellationToken)).ConfigureAwait(false);
        foreach (var p in points)
        {
            yield return _mapper.ToRecord<TRecord>(p.Id, p.Payload, p.Vector, p.Vectors, options.IncludeVectors);
        }
    }

    private static bool IsOrderable(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ||
               type == typeof(double) || type == typeof(float) || type == typeof(decimal) ||
               type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly);
    }

    private Filter? TranslateFilter(Expression<Func<TRecord, bool>>? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var translated = new FilterTranslator().Translate(filter, _model);
        return translated.IsEmpty ? null : translated;
    }

    private static async ValueTask<float[]> ToVectorAsync<TInput>(TInput value, VectorPropertyModel property, CancellationToken cancellationToken)
        where TInput : notnull
    {
        switch (value)
        {
            case float[] array:
                return array;
            case ReadOnlyMemory<float> memory:
                return RecordMapper.ToArray(memory);
            case Embedding<float> embedding:
                return RecordMapper.ToArray(embedding.Vector);
        }

        if (property.EmbeddingGenerationDispatcher is not null)
        {
            var embedding = await property.GenerateEmbeddingAsync(value, cancellationToken).ConfigureAwait(false);
            return embedding is Embedding<float> floats
                ? RecordMapper.ToArray(floats.Vector)
                : throw new InvalidOperationException($"The embedding generator of '{property.ModelName}' returned a {embedding.GetType().Name}; RoseForest stores Embedding<float>.");
        }

        throw property.EmbeddingGenerator is null
            ? new NotSupportedException(VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(value.GetType(), RoseForestModelBuilder.SupportedVectorTypes))
            : new InvalidOperationException(VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), property.EmbeddingGenerator.GetType()));
    }
}
