using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Points;

/// <summary>
/// The JSON form of a point record (what sync batches and the durable sync log carry) and its
/// canonical bytes (what content hashes are computed over). JSON:
/// <c>{"ctx": {writer: count}, "e": [{"o": writer, "s": seq, "f": field, "t": [physical ms, logical],
/// "n": version, "v": base64 of little-endian float32 (vector field), "j": JSON value (payload field)}]}</c>.
/// </summary>
public static class PointRecordCodec
{
    /// <summary>Writes a record as a JSON object.</summary>
    public static void Write(Utf8JsonWriter w, PointRecord record)
    {
        w.WriteStartObject();
        w.WriteStartObject("ctx");
        foreach (var (node, max) in record.Context)
        {
            w.WriteNumber(node, max);
        }

        w.WriteEndObject();
        w.WriteStartArray("e");
        foreach (var e in record.Entries)
        {
            w.WriteStartObject();
            w.WriteString("o", e.Dot.Origin);
            w.WriteNumber("s", e.Dot.Seq);
            w.WriteString("f", e.Field);
            w.WriteStartArray("t");
            w.WriteNumberValue(e.Stamp.Physical);
            w.WriteNumberValue(e.Stamp.Logical);
            w.WriteEndArray();
            w.WriteNumber("n", e.Version);
            if (e.Vector is { } vector)
            {
                w.WriteBase64String("v", VectorBytes(vector));
            }

            if (e.Json is { } json)
            {
                w.WritePropertyName("j");
                w.WriteRawValue(json, skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads a record; vectors must have <paramref name="dimension"/> finite components. Throws
    /// <see cref="KnowledgeValidationException"/> naming the bad part.
    /// </summary>
    public static PointRecord Read(JsonElement e, int dimension, string path = "record")
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("ctx", out var ctx) || ctx.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("e", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new KnowledgeValidationException(path, "must be an object with ctx and e");
        }

        var context = new List<KeyValuePair<string, long>>();
        foreach (var p in ctx.EnumerateObject())
        {
            context.Add(new(p.Name, p.Value.TryGetInt64(out var max) ? max : throw new KnowledgeValidationException($"{path}.ctx.{p.Name}", "must be an integer")));
        }

        var list = new List<PointEntry>(entries.GetArrayLength());
        var i = 0;
        foreach (var x in entries.EnumerateArray())
        {
            var at = $"{path}.e[{i++}]";
            try
            {
                var origin = x.GetProperty("o").GetString() ?? throw new KnowledgeValidationException($"{at}.o", "is required");
                var t = x.GetProperty("t");
                if (t.GetArrayLength() != 2)
                {
                    throw new KnowledgeValidationException($"{at}.t", "must be [physical ms, logical]");
                }

                var stamp = new HlcTimestamp(t[0].GetInt64(), t[1].GetInt32(), origin);
                float[]? vector = null;
                if (x.TryGetProperty("v", out var v))
                {
                    vector = ReadVector(v.GetBytesFromBase64(), dimension, $"{at}.v");
                }

                string? json = x.TryGetProperty("j", out var j) ? j.GetRawText() : null;
                list.Add(new PointEntry(new Dot(origin, x.GetProperty("s").GetInt64()), x.GetProperty("f").GetString() ?? throw new KnowledgeValidationException($"{at}.f", "is required"), stamp, x.GetProperty("n").GetInt64(), vector, json));
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new KnowledgeValidationException(at, $"malformed entry: {ex.Message}", ex);
            }
        }

        try
        {
            return PointRecord.FromParts(list, context);
        }
        catch (KnowledgeValidationException ex)
        {
            throw new KnowledgeValidationException($"{path}.{ex.Field}", ex.Reason, ex);
        }
    }

    /// <summary>
    /// The record's canonical bytes, prefixed by the point id: <c>"RFPR" 01</c>, str id, u32 entry
    /// count, per entry in dot order (str writer, i64 seq, str field, i64 physical, i32 logical,
    /// i64 version, opt list of f32 bits, opt str JSON text), u32 context size, (str writer, i64
    /// count) in ordinal order. Integers big-endian, as in the knowledge canonical forms.
    /// </summary>
    public static byte[] Canonical(string id, PointRecord record)
    {
        var w = new CanonicalWriter();
        w.WriteRaw("RFPR"u8);
        w.WriteByte(1);
        w.WriteString(id);
        w.WriteUInt32((uint)record.Entries.Count);
        foreach (var e in record.Entries)
        {
            w.WriteString(e.Dot.Origin);
            w.WriteInt64(e.Dot.Seq);
            w.WriteString(e.Field);
            w.WriteInt64(e.Stamp.Physical);
            w.WriteInt32(e.Stamp.Logical);
            w.WriteInt64(e.Version);
            w.WritePresence(e.Vector is not null);
            if (e.Vector is { } vector)
            {
                w.WriteUInt32((uint)vector.Length);
                foreach (var f in vector)
                {
                    w.WriteUInt32(BitConverter.SingleToUInt32Bits(f));
                }
            }

            w.WriteOptionalString(e.Json);
        }

        w.WriteUInt32((uint)record.Context.Count);
        foreach (var (node, max) in record.Context)
        {
            w.WriteString(node);
            w.WriteInt64(max);
        }

        return w.ToArray();
    }

    /// <summary>A vector as little-endian float32 bytes.</summary>
    public static byte[] VectorBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }

    /// <summary>Reads little-endian float32 bytes as a vector of <paramref name="dimension"/> finite components.</summary>
    public static float[] ReadVector(ReadOnlySpan<byte> bytes, int dimension, string field)
    {
        if (bytes.Length != dimension * sizeof(float))
        {
            throw new KnowledgeValidationException(field, $"expected a vector of dimension {dimension}, got {bytes.Length / 4.0}");
        }

        var vector = BitConverter.IsLittleEndian ? MemoryMarshal.Cast<byte, float>(bytes).ToArray() : ReadBigEndianHost(bytes);
        foreach (var f in vector)
        {
            if (!float.IsFinite(f))
            {
                throw new KnowledgeValidationException(field, "vector components must be finite");
            }
        }

        return vector;
    }

    private static float[] ReadBigEndianHost(ReadOnlySpan<byte> bytes)
    {
        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return vector;
    }
}
