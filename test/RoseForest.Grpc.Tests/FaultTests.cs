using Grpc.Core;
using Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Tests;

/// <summary>A damaged collection answers Unavailable with the reason through gRPC, as it answers 503 through REST, while the others serve.</summary>
public class FaultTests
{
    [Fact]
    public async Task A_damaged_collection_answers_unavailable_with_the_reason_while_the_others_serve()
    {
        await using var s = await GrpcServer.StartAsync();
        using (var client = s.Client())
        {
            foreach (var name in new[] { "bad", "good" })
            {
                await client.CreateCollectionAsync(name, new VectorParams { Size = 2, Distance = Distance.Euclid });
                await client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 2f } }, new PointStruct { Id = 2, Vectors = new[] { 3f, 4f } }]);
            }
        }

        await s.RestartAsync(); // a clean stop leaves each collection in one snapshot
        var snapshot = Directory.GetFiles(Path.Combine(s.DataPath, "collections", "bad", "checkpoints"), "*.snapshot").Single();
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[bytes.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(snapshot, bytes);
        await s.RestartAsync();

        using var after = s.Client();
        Assert.Equal(["bad", "good"], (await after.ListCollectionsAsync()).Order());
        Assert.Equal(2ul, await after.CountAsync("good"));
        var info = await after.GetCollectionInfoAsync("bad");
        Assert.Equal(CollectionStatus.Red, info.Status);
        Assert.Contains(snapshot, info.OptimizerStatus.Error, StringComparison.Ordinal);
        foreach (var call in new Func<Task>[]
        {
            () => after.CountAsync("bad"),
            () => after.UpsertAsync("bad", [new PointStruct { Id = 3, Vectors = new[] { 1f, 1f } }]),
            () => after.QueryAsync("bad", new float[] { 1, 1 }),
        })
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
            Assert.Contains(snapshot, e.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(bytes, await File.ReadAllBytesAsync(snapshot));
    }
}
