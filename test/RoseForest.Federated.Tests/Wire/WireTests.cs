using System.Buffers.Binary;
using System.Text;
using RoseForest.Federated.Model;
using RoseForest.Federated.SecureAggregation;
using RoseForest.Federated.Wire;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Wire;

/// <summary>The protocol's wire forms: both round-trip bit for bit, the frame's bytes are as documented, and malformed input names its field.</summary>
public sealed class WireTests
{
    private static ClientUpdate Sample() => new(
        "agent-1",
        3,
        TwoTensorModel([1f, -2.5f, float.Epsilon, -0f], [1e-30f, 3.4e38f]),
        10,
        UpdateKind.Delta,
        new UpdateMetrics(0.25f, 0.75f, new Dictionary<string, double> { ["norm_bit"] = 1 }),
        1_700_000_000_000);

    [Fact]
    public void An_update_round_trips_through_json_and_through_a_frame_bit_for_bit()
    {
        var update = Sample();
        var fromJson = UpdateWire.Read(WireJson.Parse(UpdateWire.ToJson(update)));
        var (header, payload) = TensorWire.DecodeFrame(UpdateWire.ToFrame(update));
        var fromFrame = UpdateWire.Read(header, payload);
        foreach (var copy in new[] { fromJson, fromFrame })
        {
            Assert.Equal(RoseForest.Federated.Hashing.UpdateHasher.ComputeHashHex(update), RoseForest.Federated.Hashing.UpdateHasher.ComputeHashHex(copy));
            Assert.Equal(update.Tensors.Flatten().Select(BitConverter.SingleToInt32Bits), copy.Tensors.Flatten().Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(1.0, copy.Metrics.Extra!["norm_bit"]);
        }
    }

    [Fact]
    public void A_frame_is_RFT1_a_little_endian_header_length_the_json_header_and_the_f32_values()
    {
        var model = Flat(1f, -2f);
        var frame = TensorWire.EncodeFrame(w => w.WriteNumber("round", 7), model);
        Assert.Equal("RFT1"u8.ToArray(), frame[..4]);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4));
        Assert.Equal("""{"round":7,"tensors":[{"name":"v","shape":[2]}]}""", Encoding.UTF8.GetString(frame, 8, length));
        Assert.Equal(8 + length + 8, frame.Length);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(frame.AsSpan(8 + length)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(frame.AsSpan(12 + length)));
    }

    [Theory]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"tensors":[{"name":"v","shape":[2],"data":[1]}]}""", "tensors[0].data")]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"tensors":[{"name":"v","shape":[-1],"data":[]}]}""", "tensors[0].shape[0]")]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"tensors":[{"name":"v","shape":[1],"data":[1]},{"name":"v","shape":[1],"data":[1]}]}""", "tensors[1].name")]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"kind":"grad","tensors":[]}""", "kind")]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"tensors":[],"extra":1}""", "extra")]
    [InlineData("""{"client_id":"a","round":"1","sample_count":1,"tensors":[]}""", "round")]
    [InlineData("""{"client_id":"a","round":1,"round":2,"sample_count":1,"tensors":[]}""", "round")]
    [InlineData("""{"client_id":"a","round":1,"sample_count":1,"tensors":[{"name":"v","shape":[1],"data":["x"]}]}""", "tensors[0].data[0]")]
    public void A_malformed_update_names_its_field(string json, string field)
    {
        var e = Assert.Throws<WireFormatException>(() => UpdateWire.Read(WireJson.Parse(Encoding.UTF8.GetBytes(json))));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_frame_whose_values_do_not_match_its_shapes_or_whose_header_overruns_is_refused()
    {
        var frame = UpdateWire.ToFrame(Sample());
        Assert.Throws<WireFormatException>(() => Read(frame[..^4]));
        Assert.Throws<WireFormatException>(() => Read([.. frame, 0, 0, 0, 0]));
        var overrun = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(overrun.AsSpan(4), uint.MaxValue);
        Assert.Throws<WireFormatException>(() => Read(overrun));
        Assert.Throws<WireFormatException>(() => Read(frame[..5]));

        static ClientUpdate Read(byte[] bytes)
        {
            var (header, payload) = TensorWire.DecodeFrame(bytes);
            return UpdateWire.Read(header, payload);
        }
    }

    [Fact]
    public void Secure_aggregation_messages_round_trip_and_a_whole_round_still_sums_correctly_through_them()
    {
        var options = new SecAggOptions { Threshold = 2, VectorLength = 3 };
        var ids = new[] { "a", "b", "c" };
        var clients = ids.Select(id => new SecAggClient(id, options)).ToArray();
        var server = new SecAggServer(options);
        T Trip<T>(Action<System.Text.Json.Utf8JsonWriter> write, Func<System.Text.Json.JsonElement, T> read)
        {
            using var buffer = new MemoryStream();
            using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            }

            return read(WireJson.Parse(buffer.ToArray()));
        }

        var roster = server.CollectKeys(clients.Select(c => Trip(w => SecAggWire.Write(w, c.AdvertiseKeys()), e => SecAggWire.ReadKeys(e, string.Empty))));
        var routed = server.RouteShares(clients.Select(c => Trip(w => SecAggWire.Write(w, c.ShareKeys(roster)), e => SecAggWire.ReadShareKeys(e, string.Empty))).ToList());
        float[][] inputs = [[1f, 2f, 3f], [0.5f, -1f, 0f], [-0.25f, 0f, 4f]];
        for (var i = 0; i < 3; i++)
        {
            clients[i].ReceiveShares(routed[ids[i]]);
            server.ReceiveMaskedInput(Trip(w => SecAggWire.Write(w, clients[i].MaskInput(inputs[i])), e => SecAggWire.ReadMasked(e, string.Empty)));
        }

        var request = Trip(w => SecAggWire.Write(w, server.BeginUnmasking()), e => SecAggWire.ReadUnmaskRequest(e, string.Empty));
        var result = server.Finish(clients.Select(c => Trip(w => SecAggWire.Write(w, c.Unmask(request)), e => SecAggWire.ReadUnmaskResponse(e, string.Empty))).ToList());
        Assert.Equal([1.25f, 1f, 7f], result.Sum);
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }
}
