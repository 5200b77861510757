using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using global::Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RoseForest.Host;

namespace RoseForest.Grpc.Tests;

/// <summary>How the host serves gRPC: its port settings, TLS, and the REST API beside it.</summary>
public class GrpcHostingTests
{
    [Fact]
    public void The_grpc_port_defaults_to_6334_and_follows_a_throwaway_rest_port()
    {
        Assert.Equal(6334, new ServerOptions().EffectiveGrpcPort);
        Assert.Equal(0, new ServerOptions { Port = 0 }.EffectiveGrpcPort);
        Assert.Equal(7001, new ServerOptions { Port = 0, GrpcPort = 7001 }.EffectiveGrpcPort);
        var fromEnvironment = new ServerOptions().ApplyEnvironment(new Hashtable { ["ROSEFOREST_GRPC_PORT"] = "7002", ["ROSEFOREST_GRPC_TLS_CERT"] = "c.pem", ["ROSEFOREST_GRPC_TLS_KEY"] = "k.pem" });
        Assert.Equal(7002, fromEnvironment.EffectiveGrpcPort);
        Assert.Equal("c.pem", fromEnvironment.GrpcTlsCertificate);
        Assert.Equal("k.pem", fromEnvironment.GrpcTlsKey);
        Assert.Throws<ArgumentException>(() => new ServerOptions().ApplyEnvironment(new Hashtable { ["ROSEFOREST_GRPC_PORT"] = "70000" }));
    }

    [Fact]
    public async Task Grpc_is_served_over_tls_when_a_certificate_is_configured()
    {
        using var dir = new TempDir();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.Parse("2020-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2100-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var certPath = Path.Combine(dir.Path, "cert.pem");
        var keyPath = Path.Combine(dir.Path, "key.pem");
        await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        await using var s = await GrpcServer.StartAsync(o =>
        {
            o.GrpcTlsCertificate = certPath;
            o.GrpcTlsKey = keyPath;
            o.ApiKey = "tls-key";
        });
        Assert.Equal("https", s.GrpcAddress.Scheme);
        var thumbprint = cert.Thumbprint;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Thumbprint == thumbprint };
        using var channel = GrpcChannel.ForAddress(s.GrpcAddress, new GrpcChannelOptions { HttpHandler = handler });
        using var client = new QdrantClient(new QdrantGrpcClient(channel.CreateCallInvoker().Intercept(m =>
        {
            m.Add("api-key", "tls-key");
            return m;
        })));
        await client.CreateCollectionAsync("secure", new VectorParams { Size = 2, Distance = Distance.Cosine });
        await client.UpsertAsync("secure", [new PointStruct { Id = 1, Vectors = new[] { 1f, 0 } }]);
        Assert.Equal(1ul, await client.CountAsync("secure"));
    }

    [Fact]
    public async Task A_message_over_the_body_limit_is_refused_as_resource_exhausted_and_writes_nothing()
    {
        await using var s = await GrpcServer.StartAsync(o => o.MaxRequestBodyBytes = 64 << 10);
        using var client = s.Client();
        await client.CreateCollectionAsync("big", new VectorParams { Size = 784, Distance = Distance.Euclid });
        var points = Enumerable.Range(0, 100).Select(i => new PointStruct { Id = (ulong)i, Vectors = new float[784] }).ToList();
        var e = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => client.UpsertAsync("big", points));
        Assert.True(e.StatusCode == global::Grpc.Core.StatusCode.ResourceExhausted, $"{e.StatusCode}: {e.Status.Detail} {e.Status.DebugException}");
        await client.UpsertAsync("big", points.Take(10).ToList());
        Assert.Equal(10ul, await client.CountAsync("big"));
    }

    [Fact]
    public async Task Too_many_points_in_one_upsert_are_refused_by_the_batch_limit()
    {
        await using var s = await GrpcServer.StartAsync(o => o.MaxBatchPoints = 5);
        using var client = s.Client();
        await client.CreateCollectionAsync("few", new VectorParams { Size = 2, Distance = Distance.Euclid });
        var points = Enumerable.Range(0, 6).Select(i => new PointStruct { Id = (ulong)i, Vectors = new[] { 1f, 2f } }).ToList();
        var e = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => client.UpsertAsync("few", points));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("at most 5", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0ul, await client.CountAsync("few"));
    }

    [Fact]
    public async Task Rest_and_grpc_serve_the_same_database_side_by_side()
    {
        await using var s = await GrpcServer.StartAsync();
        Assert.NotEqual(s.Server.BaseAddress.Port, s.GrpcAddress.Port);
        using var client = s.Client();
        await client.CreateCollectionAsync("shared", new VectorParams { Size = 2, Distance = Distance.Euclid });
        using var http = new HttpClient { BaseAddress = s.Server.BaseAddress };
        var text = await http.GetStringAsync("collections/shared/exists");
        Assert.Contains("\"exists\":true", text, StringComparison.Ordinal);
    }
}
