using System.Buffers.Binary;
using System.Text.Json;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Wire;

/// <summary>
/// Tensors on the wire, in the two forms of the federated HTTP protocol (docs/federated.md).
/// JSON: <c>"tensors": [{"name": "w", "shape": [2, 3], "data": [..6 numbers..]}, ...]</c>.
/// Frame (content type <see cref="FrameContentType"/>, for large models): the bytes
/// <c>RFT1</c>, a u32 little-endian header length, the header as UTF-8 JSON (the same message
/// with each tensor's <c>data</c> left out), then every tensor's values as little-endian f32 in
/// the header's order, row-major, nothing after them.
/// </summary>
public static class TensorWire
{
    /// <summary>The content type of the binary frame.</summary>
    public const string FrameContentType = "application/vnd.roseforest.tensors";

    /// <summary>The most values one message may carry (1 GiB of f32).</summary>
    public const long MaxValues = 1L << 28;

    private const int MaxRank = 8;
    private const int MaxHeaderBytes = 4 << 20;
    private static readonly byte[] Magic = "RFT1"u8.ToArray();

    /// <summary>Writes <c>"tensors": [...]</c>, with the values inline unless <paramref name="withData"/> is false.</summary>
    public static void WriteTensors(Utf8JsonWriter writer, ModelParameters model, bool withData = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        writer.WriteStartArray("tensors");
        foreach (var tensor in model.Tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name", tensor.Name);
            writer.WriteStartArray("shape");
            foreach (var d in tensor.Shape)
            {
                writer.WriteNumberValue(d);
            }

            writer.WriteEndArray();
            if (withData)
            {
                writer.WriteStartArray("data");
                foreach (var v in tensor.Data)
                {
                    writer.WriteNumberValue(v);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Reads the <c>tensors</c> array of a message: values from each tensor's <c>data</c> (JSON
    /// form, <paramref name="payload"/> null) or from the frame's payload (which must hold exactly
    /// the values the shapes call for).
    /// </summary>
    public static ModelParameters ReadTensors(JsonElement tensors, string field, ReadOnlyMemory<byte>? payload = null)
    {
        if (tensors.ValueKind != JsonValueKind.Array)
        {
            throw new WireFormatException(field, "must be an array of tensors.");
        }

        var result = new List<NamedTensor>(tensors.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0L;
        var i = 0;
        foreach (var t in tensors.EnumerateArray())
        {
            var f = $"{field}[{i++}]";
            if (payload is null)
            {
                WireJson.RequireObject(t, f, "name", "shape", "data");
            }
            else
            {
                WireJson.RequireObject(t, f, "name", "shape");
            }

            var name = WireJson.String(t, "name", f);
            if (string.IsNullOrEmpty(name) || !names.Add(name))
            {
                throw new WireFormatException(f + ".name", string.IsNullOrEmpty(name) ? "is required and non-empty." : $"'{name}' appears twice.");
            }

            var shape = ReadShape(WireJson.Required(t, "shape", f), f + ".shape");
            var count = shape.Aggregate(1L, (a, d) => a * d);
            offset += count;
            if (offset > MaxValues)
            {
                throw new WireFormatException(f + ".shape", $"the message would carry more than {MaxValues} values.");
            }

            var data = payload is { } bytes
                ? ReadValues(bytes.Span, offset - count, count, f)
                : ReadData(WireJson.Required(t, "data", f), count, f + ".data");
            result.Add(new NamedTensor(name, shape, data));
        }

        if (payload is { } all && all.Length != offset * sizeof(float))
        {
            throw new WireFormatException(field, $"the frame carries {all.Length} bytes of values; the shapes call for {offset * sizeof(float)}.");
        }

        return new ModelParameters(result);
    }

    /// <summary>Encodes a frame: the header written by <paramref name="writeHeader"/> (members of one object, plus <c>tensors</c> without data) and the values.</summary>
    public static byte[] EncodeFrame(Action<Utf8JsonWriter> writeHeader, ModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(writeHeader);
        ArgumentNullException.ThrowIfNull(model);
        using var header = new MemoryStream();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writeHeader(writer);
            WriteTensors(writer, model, withData: false);
            writer.WriteEndObject();
        }

        var frame = new byte[8 + header.Length + (model.ValueCount * sizeof(float))];
        Magic.CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)header.Length);
        header.GetBuffer().AsSpan(0, (int)header.Length).CopyTo(frame.AsSpan(8));
        var span = frame.AsSpan(8 + (int)header.Length);
        foreach (var tensor in model.Tensors)
        {
            foreach (var v in tensor.Data)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span, v);
                span = span[sizeof(float)..];
            }
        }

        return frame;
    }

    /// <summary>Splits a frame into its header (a JSON object with a <c>tensors</c> layout) and the values that follow it.</summary>
    public static (JsonElement Header, ReadOnlyMemory<byte> Payload) DecodeFrame(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length < 8 || !span[..4].SequenceEqual(Magic))
        {
            throw new WireFormatException(string.Empty, "A tensor frame starts with the 4 bytes RFT1 and a u32 header length.");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        if (length > MaxHeaderBytes || 8 + (long)length > span.Length)
        {
            throw new WireFormatException(string.Empty, $"The frame's header length {length} exceeds the frame or {MaxHeaderBytes} bytes.");
        }

        var header = WireJson.Parse(span.Slice(8, (int)length));
        if (header.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException(string.Empty, "The frame's header must be a JSON object.");
        }

        return (header, frame[(8 + (int)length)..]);
    }

    private static int[] ReadShape(JsonElement shape, string field)
    {
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() > MaxRank)
        {
            throw new WireFormatException(field, $"must be an array of at most {MaxRank} dimensions.");
        }

        var dims = new int[shape.GetArrayLength()];
        var k = 0;
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var n) || n < 0 || n > MaxValues)
            {
                throw new WireFormatException($"{field}[{k}]", "must be a non-negative integer.");
            }

            dims[k++] = n;
        }

        return dims;
    }

    private static float[] ReadData(JsonElement data, long count, string field)
    {
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() != count)
        {
            throw new WireFormatException(field, $"must be an array of {count} numbers (the product of the shape).");
        }

        var values = new float[count];
        var i = 0;
        foreach (var v in data.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out var x))
            {
                throw new WireFormatException($"{field}[{i}]", "must be a number.");
            }

            values[i++] = x;
        }

        return values;
    }

    private static float[] ReadValues(ReadOnlySpan<byte> payload, long start, long count, string field)
    {
        if ((start + count) * sizeof(float) > payload.Length)
        {
            throw new WireFormatException(field, "the frame ends before this tensor's values.");
        }

        var values = new float[count];
        var bytes = payload.Slice((int)(start * sizeof(float)), (int)(count * sizeof(float)));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return values;
    }
}
