using Google.Protobuf;
using Qdrant.Client.Grpc;
using RF = RoseForest.Contracts;

namespace RoseForest.Grpc.Tests;

/// <summary>
/// RoseForest's schema extensions (Protos/README.md: Poincare/Lorentz distances, curvature,
/// durability in field numbers 1001+), sent and read with Qdrant.Client's own messages: the fields
/// it does not know travel as unknown fields, which protobuf keeps, as an old client would see them.
/// </summary>
public class ExtensionTests
{
    private static T WithExtra<T>(T message, Action<CodedOutputStream> extra)
        where T : IMessage<T>, new()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        message.WriteTo(output);
        extra(output);
        output.Flush();
        return new MessageParser<T>(() => new T()).ParseFrom(stream.ToArray());
    }

    /// <summary>The value of an unknown field in a message's bytes, or null.</summary>
    private static object? Field(IMessage message, int number)
    {
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number)
            {
                return WireFormat.GetTagWireType(tag) switch
                {
                    WireFormat.WireType.Fixed64 => input.ReadDouble(),
                    WireFormat.WireType.Varint => input.ReadUInt32(),
                    _ => input.ReadString(),
                };
            }

            input.SkipLastField();
        }

        return null;
    }

    [Fact]
    public async Task A_poincare_collection_with_curvature_and_durability_round_trips_through_grpc()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        var vectorParams = WithExtra(new VectorParams { Size = 2, Distance = (Distance)1001 }, o =>
        {
            o.WriteTag(1001, WireFormat.WireType.Fixed64);
            o.WriteDouble(0.5);
        });
        var create = WithExtra(new CreateCollection { CollectionName = "ball", VectorsConfig = new VectorsConfig { Params = vectorParams } }, o =>
        {
            o.WriteTag(1001, WireFormat.WireType.LengthDelimited);
            o.WriteString("buffered");
        });
        await client.CreateCollectionAsync(create);

        RF.IVectorDatabase db = s.Server.Database;
        var engine = await db.GetCollectionInfoAsync("ball");
        Assert.Equal(RoseForest.Core.Geometry.Poincare, engine.Geometry);
        Assert.Equal(0.5, engine.Curvature);
        Assert.Equal(RF.Durability.Buffered, engine.Durability);

        var info = await client.GetCollectionInfoAsync("ball");
        var read = info.Config.Params.VectorsConfig.Params;
        Assert.Equal(1001, (int)read.Distance);
        Assert.Equal(0.5, Field(read, 1001));
        Assert.Equal("buffered", Field(info.Config, 1001));
    }

    [Fact]
    public async Task A_projection_rank_rides_in_scalar_quantization_and_a_bad_one_is_refused()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        ScalarQuantization Scalar(uint rank) => WithExtra(new ScalarQuantization { Type = QuantizationType.Int8 }, o =>
        {
            o.WriteTag(1001, WireFormat.WireType.Varint);
            o.WriteUInt32(rank);
        });

        var bad = new CreateCollection { CollectionName = "p", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 32, Distance = Distance.Euclid } }, QuantizationConfig = new QuantizationConfig { Scalar = Scalar(32) } };
        var e = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => client.CreateCollectionAsync(bad));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("projection_rank", e.Status.Detail, StringComparison.Ordinal);
        Assert.False(await client.CollectionExistsAsync("p"));

        await client.CreateCollectionAsync(new CreateCollection { CollectionName = "p", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 32, Distance = Distance.Euclid } }, QuantizationConfig = new QuantizationConfig { Scalar = Scalar(8) } });
        RF.IVectorDatabase db = s.Server.Database;
        Assert.Equal(8, (await db.GetCollectionInfoAsync("p")).Options?.Quantization?.ProjectionRank);
        var info = await client.GetCollectionInfoAsync("p");
        Assert.Equal(8u, Field(info.Config.QuantizationConfig.Scalar, 1001));
    }

    [Fact]
    public async Task An_unknown_durability_is_refused_and_creates_nothing()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        var create = WithExtra(new CreateCollection { CollectionName = "odd", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 2, Distance = Distance.Cosine } } }, o =>
        {
            o.WriteTag(1001, WireFormat.WireType.LengthDelimited);
            o.WriteString("sometimes");
        });
        var e = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => client.CreateCollectionAsync(create));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("durability", e.Status.Detail, StringComparison.Ordinal);
        Assert.False(await client.CollectionExistsAsync("odd"));
    }
}
