using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using PointStruct = Qdrant.Client.Grpc.PointStruct;
using VectorParams = Qdrant.Client.Grpc.VectorParams;

namespace RoseForest.Communication.Tests;

/// <summary>
/// Model keys on Qdrant's gRPC API: a call made with one acts as the model (namespaces, grants,
/// policies, token buckets), as on REST. The walk reads every rpc from Qdrant's own service
/// descriptors (Qdrant.Client's generated code), so a new method cannot be left out of the table.
/// </summary>
public class GrpcModelKeyTests
{
    /// <summary>What each rpc asks: read/write/admin of the collection it names, the server's (administrator only), or open.</summary>
    private static readonly Dictionary<string, string> Table = new(StringComparer.Ordinal)
    {
        ["/qdrant.Qdrant/HealthCheck"] = "open",
        ["/qdrant.Collections/Get"] = "read", ["/qdrant.Collections/List"] = "server", ["/qdrant.Collections/Create"] = "write",
        ["/qdrant.Collections/Update"] = "write", ["/qdrant.Collections/Delete"] = "admin", ["/qdrant.Collections/UpdateAliases"] = "server",
        ["/qdrant.Collections/ListCollectionAliases"] = "read", ["/qdrant.Collections/ListAliases"] = "server", ["/qdrant.Collections/CollectionClusterInfo"] = "read",
        ["/qdrant.Collections/CollectionExists"] = "read", ["/qdrant.Collections/UpdateCollectionClusterSetup"] = "write", ["/qdrant.Collections/CreateShardKey"] = "write",
        ["/qdrant.Collections/DeleteShardKey"] = "write", ["/qdrant.Collections/ListShardKeys"] = "read",
        ["/qdrant.Points/Upsert"] = "write", ["/qdrant.Points/Delete"] = "write", ["/qdrant.Points/Get"] = "read", ["/qdrant.Points/UpdateVectors"] = "write",
        ["/qdrant.Points/DeleteVectors"] = "write", ["/qdrant.Points/SetPayload"] = "write", ["/qdrant.Points/OverwritePayload"] = "write",
        ["/qdrant.Points/DeletePayload"] = "write", ["/qdrant.Points/ClearPayload"] = "write", ["/qdrant.Points/CreateFieldIndex"] = "write",
        ["/qdrant.Points/DeleteFieldIndex"] = "write", ["/qdrant.Points/CreateVectorName"] = "write", ["/qdrant.Points/DeleteVectorName"] = "write",
        ["/qdrant.Points/Search"] = "read", ["/qdrant.Points/SearchBatch"] = "read", ["/qdrant.Points/SearchGroups"] = "read", ["/qdrant.Points/Scroll"] = "read",
        ["/qdrant.Points/Recommend"] = "read", ["/qdrant.Points/RecommendBatch"] = "read", ["/qdrant.Points/RecommendGroups"] = "read",
        ["/qdrant.Points/Discover"] = "read", ["/qdrant.Points/DiscoverBatch"] = "read", ["/qdrant.Points/Count"] = "read", ["/qdrant.Points/UpdateBatch"] = "write",
        ["/qdrant.Points/Query"] = "read", ["/qdrant.Points/QueryBatch"] = "read", ["/qdrant.Points/QueryGroups"] = "read", ["/qdrant.Points/Facet"] = "read",
        ["/qdrant.Points/SearchMatrixPairs"] = "read", ["/qdrant.Points/SearchMatrixOffsets"] = "read",
        ["/qdrant.Snapshots/Create"] = "server", ["/qdrant.Snapshots/List"] = "server", ["/qdrant.Snapshots/Delete"] = "server",
        ["/qdrant.Snapshots/CreateFull"] = "server", ["/qdrant.Snapshots/ListFull"] = "server", ["/qdrant.Snapshots/DeleteFull"] = "server",
    };

    private static readonly FileDescriptor[] Services =
        [CollectionsServiceReflection.Descriptor, PointsServiceReflection.Descriptor, SnapshotsServiceReflection.Descriptor, QdrantReflection.Descriptor];

    [Fact]
    public async Task Every_grpc_method_allows_and_refuses_model_keys_as_the_table_says()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "ns-a", geometry: "euclidean", dimension: 2, write: ["ns-a", "ns-b"]));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "ns-b", geometry: "euclidean", dimension: 2));
        using var admin = server.Client(CommServer.AdminKey);
        using var bob = server.Client(bobKey);
        foreach (var collection in new[] { "ns-a__docs", "ns-b__docs" })
        {
            (await admin.PutAsync($"/collections/{collection}", Json("""{"vectors":{"size":2,"distance":"Euclid"}}"""))).EnsureSuccessStatusCode();
        }

        // Bob's namespace refuses alice's even though her contract asks to write it.
        (await bob.PutAsync("/namespaces/ns-b/policy", Json("""{"peers":{"ns-a":"strict"}}"""))).EnsureSuccessStatusCode();

        using var channel = GrpcChannel.ForAddress(server.Server.GrpcAddress!);
        var invoker = channel.CreateCallInvoker();
        var methods = Services.SelectMany(f => f.Services).SelectMany(s => s.Methods).ToList();
        var failures = new List<string>();
        foreach (var method in methods)
        {
            var name = $"/{method.Service.FullName}/{method.Name}";
            if (!Table.TryGetValue(name, out var rule))
            {
                failures.Add($"{name}: an rpc missing from the table");
                continue;
            }

            var none = await CallAsync(invoker, method, "ns-b__docs", key: null);
            var onBobs = await CallAsync(invoker, method, "ns-b__docs", aliceKey);
            if (rule == "open")
            {
                if (none != StatusCode.OK || onBobs != StatusCode.OK)
                {
                    failures.Add($"{name}: open rpc gave {none} without a key and {onBobs} with alice's");
                }

                continue;
            }

            if (none != StatusCode.Unauthenticated)
            {
                failures.Add($"{name}: no key gave {none}");
            }

            if (onBobs != StatusCode.PermissionDenied)
            {
                failures.Add($"{name}: alice on bob's collection gave {onBobs}, expected PermissionDenied");
            }

            // Her own namespace's collection passes the key check (the call itself may still be bad input: the request is empty).
            var own = await CallAsync(invoker, method, "ns-a__docs", aliceKey);
            var ownAllowed = rule is "read" or "write";
            if (ownAllowed && own is StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.ResourceExhausted)
            {
                failures.Add($"{name}: alice on her own collection gave {own}");
            }
            else if (!ownAllowed && rule == "server" && own != StatusCode.PermissionDenied)
            {
                failures.Add($"{name}: a server-wide rpc gave alice {own}, expected PermissionDenied");
            }
        }

        // Every gRPC endpoint the server maps is one of the walked methods.
        var walked = methods.Select(m => $"/{m.Service.FullName}/{m.Name}").ToHashSet();
        foreach (var endpoint in server.Server.Routes)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (pattern.StartsWith("/qdrant.", StringComparison.Ordinal) && !pattern.Contains('{', StringComparison.Ordinal) && !walked.Contains(pattern))
            {
                failures.Add($"{pattern}: served but not in Qdrant's descriptors");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(methods.Count > 50, $"only {methods.Count} rpcs were walked");
    }

    [Fact]
    public async Task Qdrant_client_with_a_model_key_acts_as_the_model_and_is_rate_limited_with_retry_after()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await CommServer.StartAsync(time);
        var carolKey = await server.RegisterAsync(Fixtures.Contract("carol", "ns-c", geometry: "euclidean", dimension: 2, vectorsPerSecond: 5, queriesPerSecond: 2));
        _ = await server.RegisterAsync(Fixtures.Contract("dave", "ns-d", geometry: "euclidean", dimension: 2));
        var address = server.Server.GrpcAddress!;
        using var carol = new QdrantClient(address.Host, address.Port, https: false, apiKey: carolKey);

        await carol.CreateCollectionAsync("ns-c__docs", new VectorParams { Size = 2, Distance = Distance.Euclid });
        await carol.UpsertAsync("ns-c__docs", [.. Enumerable.Range(1, 4).Select(i => new PointStruct { Id = (ulong)i, Vectors = new[] { i * 0.1f, 0.5f } })]);

        // Another namespace's collection and the server-wide listing are refused.
        var other = await Assert.ThrowsAsync<RpcException>(() => carol.CreateCollectionAsync("ns-d__docs", new VectorParams { Size = 2, Distance = Distance.Euclid }));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Contains("ns-d", other.Status.Detail, StringComparison.Ordinal);
        var list = await Assert.ThrowsAsync<RpcException>(() => carol.ListCollectionsAsync());
        Assert.Equal(StatusCode.PermissionDenied, list.StatusCode);

        // 4 of 5 vectors spent: a second upsert of 4 points is over the vectors/s budget (points are counted).
        var upsert = await Assert.ThrowsAsync<RpcException>(() => carol.UpsertAsync("ns-c__docs", [.. Enumerable.Range(5, 4).Select(i => new PointStruct { Id = (ulong)i, Vectors = new[] { i * 0.1f, 0.5f } })]));
        Assert.Equal(StatusCode.ResourceExhausted, upsert.StatusCode);
        Assert.Equal("1", upsert.Trailers.GetValue("retry-after"));

        // Two queries a second: the third is refused until the clock moves.
        Assert.Equal(2, (await carol.QueryAsync("ns-c__docs", new float[] { 0.1f, 0.5f }, limit: 2)).Count);
        Assert.Single(await carol.QueryAsync("ns-c__docs", new float[] { 0.1f, 0.5f }, limit: 1));
        var search = await Assert.ThrowsAsync<RpcException>(() => carol.QueryAsync("ns-c__docs", new float[] { 0.1f, 0.5f }, limit: 1));
        Assert.Equal(StatusCode.ResourceExhausted, search.StatusCode);
        Assert.Equal("1", search.Trailers.GetValue("retry-after"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await carol.QueryAsync("ns-c__docs", new float[] { 0.1f, 0.5f }, limit: 1));

        // A key nobody issued is still Unauthenticated.
        using var stranger = new QdrantClient(address.Host, address.Port, https: false, apiKey: "not-a-key");
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => stranger.QueryAsync("ns-c__docs", new float[] { 0.1f, 0.5f }, limit: 1))).StatusCode);
    }

    [Fact]
    public async Task On_an_open_server_a_model_key_on_grpc_still_acts_as_the_model()
    {
        await using var server = await CommServer.StartAsync(open: true);
        var carolKey = await server.RegisterAsync(Fixtures.Contract("carol", "ns-c", geometry: "euclidean", dimension: 2));
        _ = await server.RegisterAsync(Fixtures.Contract("dave", "ns-d", geometry: "euclidean", dimension: 2));
        var address = server.Server.GrpcAddress!;
        using var anonymous = new QdrantClient(address.Host, address.Port, https: false);
        using var carol = new QdrantClient(address.Host, address.Port, https: false, apiKey: carolKey);

        // No key on an open server is the administrator; carol's key confines her to her namespace.
        await anonymous.CreateCollectionAsync("ns-d__docs", new VectorParams { Size = 2, Distance = Distance.Euclid });
        await carol.CreateCollectionAsync("ns-c__docs", new VectorParams { Size = 2, Distance = Distance.Euclid });
        var refused = await Assert.ThrowsAsync<RpcException>(() => carol.UpsertAsync("ns-d__docs", [new PointStruct { Id = 1, Vectors = new[] { 0.1f, 0.2f } }]));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => carol.ListCollectionsAsync())).StatusCode);
        Assert.Equal(2, (await anonymous.ListCollectionsAsync()).Count(c => c.EndsWith("__docs", StringComparison.Ordinal)));
    }

    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor method, string collection, string? key)
    {
        var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
        if (method.InputType.FindFieldByName("collection_name") is { } field)
        {
            field.Accessor.SetValue(request, collection);
        }

        var rpc = new Method<IMessage, IMessage>(MethodType.Unary, method.Service.FullName, method.Name,
            Marshallers.Create(m => m.ToByteArray(), b => method.InputType.Parser.ParseFrom(b)),
            Marshallers.Create(m => m.ToByteArray(), b => method.OutputType.Parser.ParseFrom(b)));
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("api-key", key);
        }

        try
        {
            await invoker.AsyncUnaryCall(rpc, null, new CallOptions(headers), request).ResponseAsync;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
