using RoseForest.Engine;
using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Manifolds;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>Trained embeddings in a lorentz or poincare collection: exact search equals brute force.</summary>
public sealed class ExactSearchTests(MammalEmbeddings mammals) : IClassFixture<MammalEmbeddings>
{
    [Fact]
    public async Task Exact_search_in_a_lorentz_collection_agrees_with_brute_force()
    {
        var rows = mammals.Lorentz.Embedding.ToCollectionRows();
        await AssertSearchMatchesBruteForceAsync(Geometry.Lorentz, rows);
    }

    [Fact]
    public async Task Exact_search_in_a_poincare_collection_of_converted_lorentz_points_agrees_with_brute_force_and_keeps_distances()
    {
        var lorentz = mammals.Lorentz.Embedding;
        var ball = new double[lorentz.Count * lorentz.Dimension];
        for (var i = 0; i < lorentz.Count; i++)
        {
            ModelConversions.LorentzToPoincare(lorentz.Row(i), ball.AsSpan(i * lorentz.Dimension, lorentz.Dimension));
        }

        var poincare = new Embedding(EmbeddingModel.Poincare, lorentz.Dimension, 1, lorentz.Names, ball);
        var hyperboloid = new LorentzModel();
        var disc = new PoincareBall();
        for (var i = 0; i < 50; i++)
        {
            var d = hyperboloid.Distance(lorentz.Row(i), lorentz.Row(i + 500));
            Assert.True(Math.Abs(disc.Distance(poincare.Row(i), poincare.Row(i + 500)) - d) <= 1e-6 * (1 + d));
        }

        await AssertSearchMatchesBruteForceAsync(Geometry.Poincare, poincare.ToCollectionRows());
    }

    private static async Task AssertSearchMatchesBruteForceAsync(Geometry geometry, float[][] rows)
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        var collection = await db.CreateCollectionAsync("m", new CollectionOptions { Dimension = rows[0].Length, Geometry = geometry });
        await collection.UpsertAsync([.. rows.Select((r, i) => new PointStruct((ulong)i, r))]);
        var random = new Random(5);
        for (var q = 0; q < 100; q++)
        {
            var query = rows[random.Next(rows.Length)];
            var hits = await collection.SearchAsync(new SearchRequest { Vector = query, Limit = 10, Exact = true });
            var truth = BruteForceNeighbours.Nearest(geometry, 1, rows, query, 10);
            Assert.Equal(truth.Length, hits.Count);
            for (var i = 0; i < truth.Length; i++)
            {
                Assert.Equal(truth[i].Distance, hits[i].Score, 9);
                var hitDistance = BruteForceNeighbours.Score(geometry, 1, query, rows[(int)hits[i].Id.Number]);
                Assert.True((int)hits[i].Id.Number == truth[i].Row || Math.Abs(hitDistance - truth[i].Distance) < 1e-12, "a different point at a different distance");
            }
        }
    }
}
