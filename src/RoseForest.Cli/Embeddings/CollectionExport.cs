using System.Text.Json;
using RoseForest.Engine;
using RoseForest.Hyperbolic.Manifolds;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Cli.Embeddings;

/// <summary>
/// Writes embeddings into a RoseForest collection (poincare, lorentz or euclid geometry), point id
/// = row number, payload {"name": node}. Rows become the floats the collection stores; Poincaré
/// rows are first pulled to √c‖x‖ ≤ 1 − 2ε so float rounding cannot cross the collection's bound.
/// </summary>
internal static class CollectionExport
{
    public static float[][] StoredRows(Embedding embedding)
    {
        var rows = new float[embedding.Count][];
        var limit = (1 - (2 * PoincareBall.BoundaryEpsilon)) / Math.Sqrt(embedding.Curvature);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = embedding.Row(i).ToArray();
            if (embedding.Model == EmbeddingModel.Poincare)
            {
                var norm = Math.Sqrt(row.Sum(x => x * x));
                if (norm > limit)
                {
                    for (var k = 0; k < row.Length; k++)
                    {
                        row[k] *= limit / norm;
                    }
                }
            }

            rows[i] = [.. row.Select(x => (float)x)];
            if (embedding.Model == EmbeddingModel.Lorentz)
            {
                // x0 again from the rounded spatial coordinates, so the float row is on the sheet.
                double spatial = 0;
                for (var k = 1; k < rows[i].Length; k++)
                {
                    spatial += (double)rows[i][k] * rows[i][k];
                }

                rows[i][0] = (float)Math.Sqrt((1 / embedding.Curvature) + spatial);
            }
        }

        return rows;
    }

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
