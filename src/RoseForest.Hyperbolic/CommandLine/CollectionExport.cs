using System.Text.Json;
using RoseForest.Contracts;
using RoseForest.Core;
using RoseForest.Engine;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>
/// Writes embeddings into a RoseForest collection (poincare, lorentz or euclid geometry), point id
/// = row number, payload {"name": node}, rows from <see cref="Embedding.ToCollectionRows"/>.
/// </summary>
internal static class CollectionExport
{
    public static Geometry GeometryOf(EmbeddingModel model) => model switch
    {
        EmbeddingModel.Poincare => Geometry.Poincare,
        EmbeddingModel.Lorentz => Geometry.Lorentz,
        _ => Geometry.Euclid,
    };

    public static async Task<Collection> WriteAsync(RoseForestDatabase db, string name, Embedding embedding, float[][] rows, CancellationToken ct)
    {
        var collection = await db.CreateCollectionAsync(
            name,
            new CollectionOptions { Dimension = embedding.Stride, Geometry = GeometryOf(embedding.Model), Curvature = embedding.Curvature, Durability = Durability.Buffered },
            ct);
        const int batch = 1000;
        for (var from = 0; from < rows.Length; from += batch)
        {
            var points = new PointStruct[Math.Min(batch, rows.Length - from)];
            for (var k = 0; k < points.Length; k++)
            {
                var i = from + k;
                points[k] = new PointStruct((ulong)i, rows[i], JsonSerializer.SerializeToElement(new { name = embedding.Names[i] }));
            }

            await collection.UpsertAsync(points, cancellationToken: ct);
        }

        return collection;
    }
}
