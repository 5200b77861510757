using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using RoseForest.Core.Payloads;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine.Internal;

/// <summary>
/// The binary form of a <see cref="WriteOp"/> inside a WAL record (docs/file-formats.md):
/// <code>
/// u8 kind | u32 count | count × id | kind-specific tail
/// id:        u8 tag (0 number, 1 uuid) | u64 (number) or 2 × u64 (uuid)
/// Upsert:    u32 dim | per point: dim × f32, i32 payload length (−1: none), payload UTF-8   (the unnamed vector only)
/// UpsertNamed: per point: i32 payload length, UTF-8 | u8 vector count | per vector: u16 name
///            length, UTF-8 | u8 kind (1 dense, 2 multi, 3 sparse) | dense: u32 dim, dim × f32 |
///            multi: u32 count, u32 dim, count × dim × f32 | sparse: u32 nnz, nnz × u32, nnz × f32
/// Delete:    (nothing)
/// Set:       i32 payload length, UTF-8 | u16 key length (0: none), key UTF-8
/// Overwrite: i32 payload length, UTF-8
/// DeleteKeys:u16 key count | per key: u16 length, UTF-8
/// Clear:     (nothing)
/// CreatePayloadIndex (8): u16 key length, key UTF-8 (a payload path) | i32 length, the schema as Qdrant's field_schema JSON
/// DeletePayloadIndex (9): u16 key length, key UTF-8
/// CreateVector (10): u16 name length, UTF-8 | i32 length, the vector as Qdrant's VectorNameConfig JSON
/// DeleteVector (11): u16 name length, UTF-8
/// UpdateCollection (12): i32 length, the change as Qdrant's UpdateCollection JSON (the fields RoseForest keeps)
/// </code>
/// Index and configuration operations name no points: their id count is 0.
/// </summary>
internal static class OpCodec
{
    public static void Encode(WriteOp op, VectorLayout layout, ByteBuffer buffer)
    {
        buffer.Clear();
        if (op is UpsertOp upsert && !layout.IsUnnamedOnly)
        {
            EncodeNamed(upsert, layout, buffer);
            return;
        }

        buffer.WriteByte((byte)op.Kind);
        switch (op)
        {
            case UpsertOp u:
                WriteIds(buffer, u.Ids);
                var dim = layout.DenseDims[0];
                buffer.WriteInt32(u.Ids.Length == 0 ? 0 : dim);
                for (var i = 0; i < u.Ids.Length; i++)
                {
                    buffer.Write(MemoryMarshal.AsBytes(u.Vectors[i].Dense[0].AsSpan()));
                    WritePayload(buffer, u.Payloads[i]);
                }

                break;
            case DeleteOp d:
                WriteIds(buffer, d.Ids);
                break;
            case PayloadOp p:
                WriteIds(buffer, p.Ids);
                switch (p.Kind)
                {
                    case OpKind.SetPayload:
                        WritePayload(buffer, p.Payload);
                        WriteString(buffer, p.Key?.Text ?? string.Empty);
                        break;
                    case OpKind.OverwritePayload:
                        WritePayload(buffer, p.Payload);
                        break;
                    case OpKind.DeletePayloadKeys:
                        buffer.WriteUInt16((ushort)p.Keys.Length);
                        foreach (var k in p.Keys)
                        {
                            WriteString(buffer, k.Text);
                        }

                        break;
                }

                break;
            case IndexOp i:
                WriteIds(buffer, []);
                WriteString(buffer, i.Key.Canonical);
                if (i.Kind == OpKind.CreatePayloadIndex)
                {
                    var schema = PayloadIndexes.PayloadIndexSet.SchemaJson(i.Schema!);
                    buffer.WriteInt32(schema.Length);
                    buffer.Write(schema);
                }

                break;
            case ConfigOp c:
                WriteIds(buffer, []);
                if (c.Kind != OpKind.UpdateCollection)
                {
                    WriteString(buffer, c.VectorName!);
                }

                if (c.Kind != OpKind.DeleteVector)
                {
                    var json = ConfigJson(c);
                    buffer.WriteInt32(json.Length);
                    buffer.Write(json);
                }

                break;
            default:
                throw new InvalidOperationException($"cannot encode {op.GetType().Name}");
        }
    }

    public static WriteOp Decode(ReadOnlySpan<byte> data, VectorLayout layout)
    {
        var r = new SpanReader(data);
        var kind = (OpKind)r.ReadByte();
        var ids = ReadIds(ref r);
        WriteOp op;
        switch (kind)
        {
            case OpKind.Upsert:
                var dim = r.ReadInt32();
                if (ids.Length > 0 && (layout.Dense.Length == 0 || layout.Dense[0].Length != 0 || dim != layout.DenseDims[0]))
                {
                    throw new InvalidDataException($"upsert record of the unnamed vector has dimension {dim}; the collection's unnamed vector has {(layout.Dense.Length > 0 && layout.Dense[0].Length == 0 ? layout.DenseDims[0] : 0)}");
                }

                var vectors = new PreparedVectors[ids.Length];
                var payloads = new System.Text.Json.JsonElement?[ids.Length];
                for (var i = 0; i < ids.Length; i++)
                {
                    var v = new float[dim];
                    r.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
                    vectors[i] = layout.NewPoint();
                    vectors[i].Dense[0] = v;
                    payloads[i] = ReadPayload(ref r);
                }

                op = new UpsertOp(ids, vectors, payloads);
                break;
            case OpKind.UpsertNamed:
                op = DecodeNamed(ref r, ids, layout);
                break;
            case OpKind.Delete:
                op = new DeleteOp(ids);
                break;
            case OpKind.SetPayload:
                var patch = ReadPayload(ref r);
                var key = ReadString(ref r);
                op = new PayloadOp(kind, ids, patch, key.Length == 0 ? null : PayloadPath.Parse(key));
                break;
            case OpKind.OverwritePayload:
                op = new PayloadOp(kind, ids, ReadPayload(ref r));
                break;
            case OpKind.DeletePayloadKeys:
                var count = r.ReadUInt16();
                var keys = new PayloadPath[count];
                for (var i = 0; i < count; i++)
                {
                    keys[i] = PayloadPath.Parse(ReadString(ref r));
                }

                op = new PayloadOp(kind, ids, keys: keys);
                break;
            case OpKind.ClearPayload:
                op = new PayloadOp(kind, ids);
                break;
            case OpKind.CreatePayloadIndex:
                var indexKey = PayloadPath.Parse(ReadString(ref r), "field_name");
                op = new IndexOp(kind, indexKey, PayloadIndexes.PayloadIndexSet.ParseSchema(r.ReadBytes(r.ReadInt32())));
                break;
            case OpKind.DeletePayloadIndex:
                op = new IndexOp(kind, PayloadPath.Parse(ReadString(ref r), "field_name"));
                break;
            case OpKind.CreateVector:
                var vectorName = ReadString(ref r);
                op = ConfigOp.Create(vectorName, Contracts.Qdrant.QdrantJson.ReadVectorNameConfig(ReadJson(ref r)));
                break;
            case OpKind.DeleteVector:
                op = ConfigOp.Delete(ReadString(ref r));
                break;
            case OpKind.UpdateCollection:
                op = ConfigOp.Change(Contracts.Qdrant.QdrantJson.ReadCollectionUpdate(ReadJson(ref r)));
                break;
            default:
                throw new InvalidDataException($"unknown operation kind {(byte)kind}");
        }

        if (!r.AtEnd)
        {
            throw new InvalidDataException($"{r.Remaining} unexpected bytes after a {kind} record");
        }

        return op;
    }

    private const byte DenseKind = 1;
    private const byte MultiKind = 2;
    private const byte SparseKind = 3;

    private static void EncodeNamed(UpsertOp u, VectorLayout layout, ByteBuffer buffer)
    {
        buffer.WriteByte((byte)OpKind.UpsertNamed);
        WriteIds(buffer, u.Ids);
        for (var i = 0; i < u.Ids.Length; i++)
        {
            WritePayload(buffer, u.Payloads[i]);
            var v = u.Vectors[i];
            var count = v.Dense.Count(x => x is not null) + v.Multi.Count(x => x is not null) + v.Sparse.Count(x => x is not null);
            buffer.WriteByte(checked((byte)count));
            for (var d = 0; d < v.Dense.Length; d++)
            {
                if (v.Dense[d] is { } dense)
                {
                    WriteString(buffer, layout.Dense[d]);
                    buffer.WriteByte(DenseKind);
                    buffer.WriteInt32(dense.Length);
                    buffer.Write(MemoryMarshal.AsBytes(dense.AsSpan()));
                }
            }

            for (var m = 0; m < v.Multi.Length; m++)
            {
                if (v.Multi[m] is { } multi)
                {
                    WriteString(buffer, layout.Multi[m]);
                    buffer.WriteByte(MultiKind);
                    buffer.WriteInt32(multi.Length / layout.MultiDims[m]);
                    buffer.WriteInt32(layout.MultiDims[m]);
                    buffer.Write(MemoryMarshal.AsBytes(multi.AsSpan()));
                }
            }

            for (var sp = 0; sp < v.Sparse.Length; sp++)
            {
                if (v.Sparse[sp] is { } sparse)
                {
                    WriteString(buffer, layout.Sparse[sp]);
                    buffer.WriteByte(SparseKind);
                    buffer.WriteInt32(sparse.Indices.Length);
                    buffer.Write(MemoryMarshal.AsBytes(sparse.Indices.AsSpan()));
                    buffer.Write(MemoryMarshal.AsBytes(sparse.Values.AsSpan()));
                }
            }
        }
    }

    private static UpsertOp DecodeNamed(ref SpanReader r, PointId[] ids, VectorLayout layout)
    {
        var vectors = new PreparedVectors[ids.Length];
        var payloads = new System.Text.Json.JsonElement?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            payloads[i] = ReadPayload(ref r);
            var v = layout.NewPoint();
            int count = r.ReadByte();
            for (var k = 0; k < count; k++)
            {
                var name = ReadString(ref r);
                switch (r.ReadByte())
                {
                    case DenseKind:
                        var d = Array.IndexOf(layout.Dense, name);
                        var dim = r.ReadInt32();
                        if (d < 0 || dim != layout.DenseDims[d])
                        {
                            throw new InvalidDataException($"upsert record has a {dim}-d dense vector '{name}' the collection does not have");
                        }

                        var dense = new float[dim];
                        r.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(dense.AsSpan()));
                        v.Dense[d] = dense;
                        break;
                    case MultiKind:
                        var m = Array.IndexOf(layout.Multi, name);
                        var rows = r.ReadInt32();
                        var mdim = r.ReadInt32();
                        if (m < 0 || mdim != layout.MultiDims[m] || rows < 1 || (long)rows * mdim * sizeof(float) > r.Remaining)
                        {
                            throw new InvalidDataException($"upsert record has a multivector '{name}' of {rows} × {mdim} the collection does not have");
                        }

                        var multi = new float[rows * mdim];
                        r.ReadBytes(multi.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(multi.AsSpan()));
                        v.Multi[m] = multi;
                        break;
                    case SparseKind:
                        var sp = Array.IndexOf(layout.Sparse, name);
                        var nnz = r.ReadInt32();
                        if (sp < 0 || nnz < 0 || (long)nnz * 8 > r.Remaining)
                        {
                            throw new InvalidDataException($"upsert record has a sparse vector '{name}' the collection does not have");
                        }

                        var indices = new uint[nnz];
                        var values = new float[nnz];
                        r.ReadBytes(nnz * sizeof(uint)).CopyTo(MemoryMarshal.AsBytes(indices.AsSpan()));
                        r.ReadBytes(nnz * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                        v.Sparse[sp] = new SparseVector(indices, values);
                        break;
                    default:
                        throw new InvalidDataException($"unknown vector kind in an upsert record");
                }
            }

            vectors[i] = v;
        }

        return new UpsertOp(ids, vectors, payloads);
    }

    /// <summary>
    /// The vectors an upsert record names, as a layout: the change feed reads a record with it when
    /// the collection's vectors have changed since the record was written (a vector deleted since).
    /// Other records name no vectors and get an empty layout.
    /// </summary>
    public static VectorLayout RecordLayout(ReadOnlySpan<byte> data)
    {
        var r = new SpanReader(data);
        var kind = (OpKind)r.ReadByte();
        var ids = ReadIds(ref r);
        var dense = new List<(string, int)>();
        var multi = new List<(string, int)>();
        var sparse = new List<string>();
        if (kind == OpKind.Upsert)
        {
            dense.Add((string.Empty, r.ReadInt32()));
        }
        else if (kind == OpKind.UpsertNamed)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                _ = ReadPayload(ref r);
                int count = r.ReadByte();
                for (var k = 0; k < count; k++)
                {
                    var name = ReadString(ref r);
                    switch (r.ReadByte())
                    {
                        case DenseKind:
                            var dim = r.ReadInt32();
                            r.ReadBytes(dim * sizeof(float));
                            if (!dense.Exists(d => d.Item1 == name))
                            {
                                dense.Add((name, dim));
                            }

                            break;
                        case MultiKind:
                            var rows = r.ReadInt32();
                            var mdim = r.ReadInt32();
                            r.ReadBytes(checked(rows * mdim * sizeof(float)));
                            if (!multi.Exists(m => m.Item1 == name))
                            {
                                multi.Add((name, mdim));
                            }

                            break;
                        case SparseKind:
                            var nnz = r.ReadInt32();
                            r.ReadBytes(checked(nnz * 8));
                            if (!sparse.Contains(name))
                            {
                                sparse.Add(name);
                            }

                            break;
                        default:
                            throw new InvalidDataException("unknown vector kind in an upsert record");
                    }
                }
            }
        }

        return VectorLayout.Of(dense, multi, sparse);
    }

    private static void WriteIds(ByteBuffer buffer, PointId[] ids)
    {
        buffer.WriteInt32(ids.Length);
        Span<byte> tmp = stackalloc byte[17];
        foreach (var id in ids)
        {
            buffer.Write(tmp[..id.WriteBinary(tmp)]);
        }
    }

    private static PointId[] ReadIds(ref SpanReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > r.Remaining / 9)
        {
            throw new InvalidDataException($"implausible id count {count}");
        }

        var ids = new PointId[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = r.ReadId();
        }

        return ids;
    }

    internal static void WritePayload(ByteBuffer buffer, System.Text.Json.JsonElement? payload)
    {
        if (payload is not { } p)
        {
            buffer.WriteInt32(-1);
            return;
        }

        var utf8 = Payload.Utf8(p);
        buffer.WriteInt32(utf8.Length);
        buffer.Write(utf8);
    }

    internal static System.Text.Json.JsonElement? ReadPayload(ref SpanReader r)
    {
        var length = r.ReadInt32();
        return length < 0 ? null : Payload.FromUtf8(r.ReadBytes(length));
    }

    /// <summary>A configuration change as Qdrant's JSON: VectorNameConfig (create) or UpdateCollection (update).</summary>
    private static byte[] ConfigJson(ConfigOp c)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream))
        {
            if (c.Kind == OpKind.CreateVector)
            {
                Contracts.Qdrant.QdrantJson.WriteVectorNameConfig(w, c.Vector!);
            }
            else
            {
                Contracts.Qdrant.QdrantJson.WriteCollectionUpdate(w, c.Update!);
            }
        }

        return stream.ToArray();
    }

    private static System.Text.Json.JsonElement ReadJson(ref SpanReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > r.Remaining)
        {
            throw new InvalidDataException($"implausible JSON length {length}");
        }

        return Contracts.Qdrant.JsonFields.ParseBody(r.ReadBytes(length));
    }

    private static void WriteString(ByteBuffer buffer, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        buffer.WriteUInt16(checked((ushort)bytes.Length));
        buffer.Write(bytes);
    }

    private static string ReadString(ref SpanReader r) => Encoding.UTF8.GetString(r.ReadBytes(r.ReadUInt16()));
}

/// <summary>A growable byte buffer for encoding, reused across writes.</summary>
internal sealed class ByteBuffer
{
    private byte[] _data = new byte[4096];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _data.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_data.AsSpan(Length));
        Length += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _data[Length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_data.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteInt64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_data.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteSingle(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_data.AsSpan(Length), value);
        Length += 4;
    }

    private void Ensure(int more)
    {
        if (Length + more > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + more));
        }
    }
}

/// <summary>Reads little-endian values from a span, throwing <see cref="InvalidDataException"/> past the end.</summary>
internal ref struct SpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position == _data.Length;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public PointId ReadId()
    {
        var size = Remaining > 0 && _data[_position] == 1 ? 17 : 9;
        if (size > Remaining)
        {
            throw new InvalidDataException("truncated point id");
        }

        var id = PointId.ReadBinary(_data.Slice(_position, size), out var consumed);
        _position += consumed;
        return id;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new InvalidDataException($"record truncated: wanted {count} bytes, {Remaining} left");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
