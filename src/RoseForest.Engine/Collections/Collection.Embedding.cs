using Microsoft.Extensions.AI;

namespace RoseForest.Engine;

/// <summary>
/// Text in place of vectors: a named vector that declares an embedding model
/// (<see cref="VectorParams.Embed"/>) accepts <see cref="DocumentVector"/>s in points and queries.
/// They are embedded here, in the caller's task and before the write is queued or the read lock
/// is taken, so the writer and readers never wait on a model; each call embeds all its texts for
/// one model in one batch.
/// </summary>
public sealed partial class Collection
{
    private readonly Func<string, IEmbeddingGenerator<string, Embedding<float>>?>? _embeddingModels;

    private static bool HasDocuments(IReadOnlyList<PointStruct> points)
    {
        foreach (var p in points)
        {
            if (p?.Vectors is { } vectors)
            {
                foreach (var v in vectors.Values)
                {
                    if (v is DocumentVector)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The points with every document replaced by its embedding (the same list when there are none).</summary>
    private async Task<IReadOnlyList<PointStruct>> EmbedPointsAsync(IReadOnlyList<PointStruct> points, CancellationToken cancellationToken)
    {
        var wanted = new List<(DocumentVector Doc, string Vector, string Field)>();
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i]?.Vectors is { } vectors)
            {
                foreach (var (name, v) in vectors)
                {
                    if (v is DocumentVector doc)
                    {
                        wanted.Add((doc, name, $"points[{i}].vector.{name}"));
                    }
                }
            }
        }

        var embedded = await EmbedAsync(wanted, cancellationToken).ConfigureAwait(false);
        var result = new PointStruct[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            result[i] = p?.Vectors is { } vectors && vectors.Values.Any(v => v is DocumentVector)
                ? p with { Vectors = vectors.ToDictionary(kv => kv.Key, kv => kv.Value is DocumentVector d ? embedded[d] : kv.Value, StringComparer.Ordinal) }
                : p!;
        }

        return result;
    }

    /// <summary>
    /// Embeds documents meant for the named vectors, one batch per model; checks each vector
    /// declares a model this database has, that a document's own model (if named) is that one, and
    /// that the output has the vector's size. Keys are the document objects themselves.
    /// </summary>
    private async Task<Dictionary<DocumentVector, VectorData>> EmbedAsync(IReadOnlyList<(DocumentVector Doc, string Vector, string Field)> wanted, CancellationToken cancellationToken)
    {
        var result = new Dictionary<DocumentVector, VectorData>(ReferenceEqualityComparer.Instance);
        var byModel = new Dictionary<string, (IEmbeddingGenerator<string, Embedding<float>> Generator, int Size, List<(DocumentVector Doc, string Field)> Docs)>(StringComparer.Ordinal);
        var dense = _options.DenseVectors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (doc, vector, field) in wanted)
        {
            var p = dense.GetValueOrDefault(vector);
            if (p is null || p.Embed is not { } model)
            {
                throw new ValidationException(field, p is null
                    ? $"Not existing vector name error: {vector}"
                    : $"vector '{vector}' declares no embedding model, so it takes numbers, not text; create it with \"embed\": {{\"model\": …}} to send text.");
            }

            if (p.Multivector is not null)
            {
                throw new ValidationException(field, $"vector '{vector}' is a multivector; text is embedded only into plain dense vectors.");
            }

            if (doc.Model is { } asked && !string.Equals(asked, model, StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationException($"{field}.model", $"vector '{vector}' embeds with '{model}', not '{asked}'.");
            }

            if (!byModel.TryGetValue(model, out var group))
            {
                var generator = _embeddingModels?.Invoke(model)
                    ?? throw new ValidationException(field, $"the embedding model '{model}' of vector '{vector}' is not available on this server (start it with --embedder {model}).");
                byModel[model] = group = (generator, p.Size, []);
            }

            group.Docs.Add((doc, field));
        }

        foreach (var (model, (generator, size, docs)) in byModel)
        {
            var embeddings = await generator.GenerateAsync([.. docs.Select(d => d.Doc.Text)], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != docs.Count)
            {
                throw new InvalidOperationException($"the embedding model '{model}' returned {embeddings.Count} embeddings for {docs.Count} texts.");
            }

            for (var i = 0; i < docs.Count; i++)
            {
                var vector = embeddings[i].Vector.ToArray();
                if (vector.Length != size)
                {
                    throw new ValidationException(docs[i].Field, $"the model '{model}' makes vectors of dimension {vector.Length}, but the vector holds {size}.");
                }

                result[docs[i].Doc] = new DenseVector(vector);
            }
        }

        return result;
    }
}
