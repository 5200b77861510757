using System.Net;
using System.Net.Sockets;
using RoseForest.Client;

namespace RoseForest.VectorData.Tests;

public sealed class TransportErrorTests
{
    [Fact]
    public async Task An_unreachable_server_is_a_VectorStoreException_with_the_transport_error_inside()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
        using var store = new RoseForestVectorStore(client);
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.CollectionExistsAsync("any"));
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Equal("CollectionExists", e.OperationName);

        var collection = store.GetCollection<ulong, Hotel>("hotels");
        var upsert = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(ProviderTests<EmbeddedFixture>.Hotels()));
        Assert.Equal("hotels", upsert.CollectionName);
        Assert.Equal("Upsert", upsert.OperationName);
    }
}
