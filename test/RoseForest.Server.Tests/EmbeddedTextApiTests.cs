using System.Text.Json;
using RoseForest.Client;

namespace RoseForest.Server.Tests;

/// <summary>Qdrant's inference Document ({"text", "model"}) in upserts and queries, on a vector that declares "embed".</summary>
public class EmbeddedTextApiTests
{
    [Fact]
    public async Task Documents_in_upserts_and_queries_are_embedded_with_the_vectors_model()
    {
        var embedder = new LetterCountEmbedder();
        await using var f = await ServerFixture.StartAsync(o => o.EmbeddingModels = name => name == "letters-8" ? embedder : null);
        Assert.Equal(200, (await f.PutAsync("/collections/d", """{"vectors":{"text":{"size":8,"distance":"Euclid","embed":{"model":"letters-8"}}}}""")).Status);
        var info = await f.GetAsync("/collections/d");
        Assert.Equal("letters-8", info.Body.GetProperty("result").GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("text").GetProperty("embed").GetProperty("model").GetString());

        var upsert = await f.PutAsync("/collections/d/points?wait=true", """
            {"points":[
              {"id":1,"vector":{"text":{"text":"abba","model":"letters-8"}}},
              {"id":2,"vector":{"text":{"text":"cafe"}}},
              {"id":3,"vector":{"text":[0,0,0,1,2,0,1,1]}}]}
            """);
        Assert.Equal(200, upsert.Status);
        Assert.Single(embedder.Batches);

        var byText = await f.PostAsync("/collections/d/points/query", """{"query":{"text":"face","model":"letters-8"},"using":"text","with_vector":true}""");
        Assert.Equal(200, byText.Status);
        var points = byText.Body.GetProperty("result").GetProperty("points");
        Assert.Equal(2UL, points[0].GetProperty("id").GetUInt64());
        Assert.Equal(0.0, points[0].GetProperty("score").GetDouble());
        Assert.Equal(LetterCountEmbedder.Embed("cafe"), points[0].GetProperty("vector").GetProperty("text").EnumerateArray().Select(x => x.GetSingle()));

        var nearestForm = await f.PostAsync("/collections/d/points/query", """{"query":{"nearest":{"text":"hedge"}},"using":"text","limit":1}""");
        Assert.Equal(3UL, nearestForm.Body.GetProperty("result").GetProperty("points")[0].GetProperty("id").GetUInt64());

        // The .NET client sends DocumentVector as the same JSON.
        await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        var remote = client.GetCollection("d");
        await remote.UpsertAsync([new PointStruct(4) { Vectors = new Dictionary<string, VectorData> { ["text"] = new DocumentVector("ggg") } }]);
        var hits = await remote.QueryAsync(new QueryRequest { Query = new NearestQuery(VectorInput.Of(new DocumentVector("gg"))), Using = "text", Limit = 1 });
        Assert.Equal("4", hits[0].Id.ToString());

        // Refused: another model, image inputs, options, text for a collection without models.
        Assert.Equal(400, (await f.PutAsync("/collections/d/points", """{"points":[{"id":9,"vector":{"text":{"text":"a","model":"gpt"}}}]}""")).Status);
        Assert.Equal(400, (await f.PutAsync("/collections/d/points", """{"points":[{"id":9,"vector":{"text":{"image":"a.png","model":"letters-8"}}}]}""")).Status);
        Assert.Equal(400, (await f.PutAsync("/collections/d/points", """{"points":[{"id":9,"vector":{"text":{"text":"a","options":{"lang":"en"}}}}]}""")).Status);
        Assert.Equal(400, (await f.PutAsync("/collections/e", """{"vectors":{"text":{"size":8,"distance":"Euclid","embed":{}}}}""")).Status);
        Assert.Equal(4, (await f.PostAsync("/collections/d/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
    }
}
