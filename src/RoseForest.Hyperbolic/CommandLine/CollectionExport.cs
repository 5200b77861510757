using System.Text.Json;
using RoseForest.Contracts;
using RoseForest.Core;
using RoseForest.Engine;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>
/// Writes embeddings into a RoseForest collection (poincare, lorentz or euclid geometry), point id
/// = row number, payload {"name": node}, rows from <see cref="Embedding.ToCollectionRows"/>.
/// Given the hierarchy, each payload also lists the node's direct parents in its transitive
/// reduction, <c>"parents": [names]</c>, so a viewer (the dashboard's map) can draw the edges.
/// </summary>
internal static class CollectionExport
{
    public static Geometry GeometryOf(EmbeddingModel model) => model switch
    {
        EmbeddingModel.Poincare => Geometry.Poincare,
        EmbeddingModel.Lorentz => Geometry.Lorentz,
        _ => Geometry.Euclid,
    };

    public static async Task<Collection> WriteAsync(RoseForestDatabase db, string name, Embedding embedding, float[][] rows, CancellationToken ct, Digraph? hierarchy = null)
    {
        var reduction = hierarchy?.WithoutShortcuts();
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
                var node = embedding.Names[i];
                var payload = reduction is not null && reduction.TryGetNode(node, out var n)
                    ? JsonSerializer.SerializeToElement(new { name = node, parents = reduction.OutNeighbours(n).ToArray().Select(p => reduction.Names[p]).ToArray() })
                    : JsonSerializer.SerializeToElement(new { name = node });
                points[k] = new PointStruct((ulong)i, rows[i], payload);
            }

            await collection.UpsertAsync(points, cancellationToken: ct);
        }

        return collection;
    }
}
