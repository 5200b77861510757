using System.Runtime.InteropServices;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Hnsw;
using RoseForest.Storage;
using RoseForest.Storage.Snapshots;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A collection's state inside a snapshot file (docs/file-formats.md). Slot numbers are kept,
/// because the HNSW graph refers to slots:
/// <code>
/// section "CONF": the collection config, JSON
/// section "PNTS" (repeated, ≤ 4 MiB each): i32 count | per point: i32 slot | id | i64 version | f32 aux | dim × f32 | i32 payload length (−1: none), UTF-8
/// section "DEAD" (repeated): i32 count | per tombstone: i32 slot | f32 aux | dim × f32
/// section "HNSW": the graph image (HnswGraph.Serialize)
/// </code>
/// A collection with named, sparse or multi vectors writes these instead of PNTS/DEAD/HNSW
/// (collections with only the unnamed vector keep the sections above, which every version reads):
/// <code>
/// section "PNT2" (repeated): i32 count | per point: i32 slot | id | i64 version | i32 payload length, UTF-8
///     | per dense vector (config order): u8 present | [f32 aux | dim × f32]
///     | per multivector: i32 rows (0: none) | rows × dim × f32
///     | per sparse vector: i32 nnz (−1: none) | nnz × u32 | nnz × f32
/// section "DEA2" (repeated): i32 count | per tombstone: i32 slot | per dense vector: u8 present | [f32 aux | dim × f32]
/// section "HNS2" (one per indexed dense vector): u16 name length, UTF-8 | the graph image
/// </code>
/// Payload indexes (any collection; snapshots without them open with no indexes):
/// <code>
/// section "PIDX": i32 count | per index: u16 key length, UTF-8 | i32 length, the schema as Qdrant's field_schema JSON
/// section "PLNK" (one per indexed dense vector and keyword/integer index with links): u16 vector name length, UTF-8
///     | u16 key length, UTF-8 | i32 blocks | per block: i32 block, i32 length, the value as JSON | the links image (PayloadLinks.Serialize)
/// </code>
/// The indexes themselves are rebuilt from the points' payloads on load; the links are kept
/// because building them costs as much as building a graph.
/// </summary>
internal static partial class SnapshotCodec
{
    public const uint ConfigTag = 0x464E4F43; // "CONF"
    public const uint PointsTag = 0x53544E50; // "PNTS"
    public const uint DeadTag = 0x44414544; // "DEAD"
    public const uint GraphTag = 0x57534E48; // "HNSW"
    public const uint NamedPointsTag = 0x32544E50; // "PNT2"
    public const uint NamedDeadTag = 0x32414544; // "DEA2"
    public const uint NamedGraphTag = 0x32534E48; // "HNS2"
    private const int ChunkBytes = 4 << 20;

    public static void Write(SnapshotWriter writer, CollectionOptions options, TableView table)
    {
        writer.WriteSection(ConfigTag, CollectionConfig.Serialize(options));
        WriteIndexSections(writer, table);
        if (!VectorLayout.From(options).IsUnnamedOnly)
        {
            WriteNamed(writer, table);
            return;
        }

        var vectors = table.Table.Dense[0].Vectors;
        var buffer = new ByteBuffer();
        Span<byte> id = stackalloc byte[17];
        var chunk = new Chunk(writer, buffer, PointsTag);
        for (var slot = 0; slot < table.SlotCount; slot++)
        {
            if (!table.Live[slot])
            {
                continue;
            }

            chunk.StartRecord();
            buffer.WriteInt32(slot);
            buffer.Write(id[..table.Ids[slot].WriteBinary(id)]);
            buffer.WriteInt64(table.Versions[slot]);
            buffer.WriteSingle(vectors.Aux(slot));
            buffer.Write(MemoryMarshal.AsBytes(vectors.Get(slot)));
            OpCodec.WritePayload(buffer, table.Payloads[slot]);
            chunk.EndRecord();
        }

        chunk.Flush();
        chunk = new Chunk(writer, buffer, DeadTag);
        for (var slot = 0; slot < table.SlotCount; slot++)
        {
            if (!table.Dead[slot])
            {
                continue;
            }

            chunk.StartRecord();
            buffer.WriteInt32(slot);
            buffer.WriteSingle(vectors.Aux(slot));
            buffer.Write(MemoryMarshal.AsBytes(vectors.Get(slot)));
            chunk.EndRecord();
        }

        chunk.Flush();
        if (table.GraphImages[0] is { } image)
        {
            writer.WriteSection(GraphTag, image);
        }
    }

    private static void WriteNamed(SnapshotWriter writer, TableView view)
    {
        var table = view.Table;
        var buffer = new ByteBuffer();
        Span<byte> id = stackalloc byte[17];
        var chunk = new Chunk(writer, buffer, NamedPointsTag);
        for (var slot = 0; slot < view.SlotCount; slot++)
        {
            if (!view.Live[slot])
            {
                continue;
            }

            chunk.StartRecord();
            buffer.WriteInt32(slot);
            buffer.Write(id[..view.Ids[slot].WriteBinary(id)]);
            buffer.WriteInt64(view.Versions[slot]);
            OpCodec.WritePayload(buffer, view.Payloads[slot]);
            WriteDense(buffer, table, slot);
            foreach (var m in table.Multi)
            {
                var rows = m.Get(slot);
                buffer.WriteInt32(rows is null ? 0 : rows.Length / m.Dimension);
                if (rows is not null)
                {
                    buffer.Write(MemoryMarshal.AsBytes(rows.AsSpan()));
                }
            }

            foreach (var sp in table.Sparse)
            {
                var v = sp.Get(slot);
                buffer.WriteInt32(v is null ? -1 : v.Indices.Length);
                if (v is not null)
                {
                    buffer.Write(MemoryMarshal.AsBytes(v.Indices.AsSpan()));
                    buffer.Write(MemoryMarshal.AsBytes(v.Values.AsSpan()));
                }
            }

            chunk.EndRecord();
        }

        chunk.Flush();
        chunk = new Chunk(writer, buffer, NamedDeadTag);
        for (var slot = 0; slot < view.SlotCount; slot++)
        {
            if (!view.Dead[slot])
            {
                continue;
            }

            chunk.StartRecord();
            buffer.WriteInt32(slot);
            WriteDense(buffer, table, slot);
            chunk.EndRecord();
        }

        chunk.Flush();
        for (var d = 0; d < table.Dense.Length; d++)
        {
            if (view.GraphImages[d] is { } image)
            {
                buffer.Clear();
                var name = System.Text.Encoding.UTF8.GetBytes(table.Dense[d].Name);
                buffer.WriteUInt16(checked((ushort)name.Length));
                buffer.Write(name);
                buffer.Write(image);
                writer.WriteSection(NamedGraphTag, buffer.Span.ToArray());
            }
        }
    }

    private static void WriteDense(ByteBuffer buffer, PointTable table, int slot)
    {
        foreach (var d in table.Dense)
        {
            var present = d.Has(slot);
            buffer.WriteByte(present ? (byte)1 : (byte)0);
            if (present)
            {
                buffer.WriteSingle(d.Vectors.Aux(slot));
                buffer.Write(MemoryMarshal.AsBytes(d.Vectors.Get(slot)));
            }
        }
    }

    /// <summary>
    /// Loads a snapshot into an empty table, checking every section's checksum as it goes (one
    /// pass); returns the snapshot's LSN. The snapshot's config (its first section) is the
    /// collection's config at that LSN: when it differs from <paramref name="options"/> (vectors
    /// or settings changed after creation), the table is replaced by an empty one of that shape
    /// and <paramref name="options"/> by it. The graph is restored when the snapshot has one and the
    /// collection wants one (else the caller rebuilds it). On damage it throws and the table must
    /// be discarded.
    /// </summary>
    public static long Read(SnapshotReader reader, ref PointTable table, ref CollectionOptions options)
    {
        var layout = VectorLayout.From(options);
        var graphImages = new byte[]?[table.Dense.Length];
        var indexSections = new List<(uint Tag, byte[] Payload)>();
        while (reader.TryReadSection(out var tag, out var payload))
        {
            switch (tag)
            {
                case ConfigTag:
                    if (!payload.AsSpan().SequenceEqual(CollectionConfig.Serialize(options)))
                    {
                        if (table.SlotCount > 0)
                        {
                            throw new StorageCorruptionException(reader.FilePath, 0, "the snapshot's config comes after its points");
                        }

                        var stored = CollectionConfig.Deserialize(payload, reader.FilePath);
                        table.Dispose();
                        table = new PointTable(stored);
                        options = stored;
                        layout = VectorLayout.From(stored);
                        graphImages = new byte[]?[table.Dense.Length];
                    }

                    break;
                case PointsTag:
                    ReadLegacyPoints(payload, table, reader, layout);
                    break;
                case DeadTag:
                    ReadLegacyDead(payload, table, reader, layout);
                    break;
                case GraphTag:
                    graphImages[0] = payload;
                    break;
                case NamedPointsTag:
                    ReadNamedPoints(payload, table, reader);
                    break;
                case NamedDeadTag:
                    var d = new SpanReader(payload);
                    var dead = d.ReadInt32();
                    for (var i = 0; i < dead; i++)
                    {
                        var slot = ReadSlot(ref d, reader);
                        table.PlaceAt(slot);
                        ReadDense(ref d, table, slot);
                    }

                    break;
                case NamedGraphTag:
                    var g = new SpanReader(payload);
                    var name = System.Text.Encoding.UTF8.GetString(g.ReadBytes(g.ReadUInt16()));
                    if (table.DenseNamed(name) is { } space)
                    {
                        graphImages[space.Index] = payload[(2 + System.Text.Encoding.UTF8.GetByteCount(name))..];
                    }

                    break;
                case IndexesTag or ValueLinksTag:
                    indexSections.Add((tag, payload));
                    break;
                default:
                    // Sections this version does not know (written by a later one) are skipped.
                    break;
            }
        }

        foreach (var space in table.Dense)
        {
            if (graphImages[space.Index] is { } image && space.Hnsw is not null)
            {
                try
                {
                    space.Graph = HnswGraph.Deserialize(space.Vectors, image);
                }
                catch (InvalidDataException e)
                {
                    throw new StorageCorruptionException(reader.FilePath, 0, $"the HNSW section of vector '{space.Name}' is unreadable: {e.Message}");
                }
            }
        }

        RestoreIndexes(table, indexSections, reader.FilePath);
        table.RebuildFreeList();
        return reader.Lsn;
    }

    private static void ReadLegacyPoints(byte[] payload, PointTable table, SnapshotReader reader, VectorLayout layout)
    {
        if (!layout.IsUnnamedOnly)
        {
            throw new StorageCorruptionException(reader.FilePath, 0, "a PNTS section in a snapshot of a collection with named vectors");
        }

        var dim = layout.DenseDims[0];
        var floats = new float[dim];
        var r = new SpanReader(payload);
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var slot = ReadSlot(ref r, reader);
            var id = r.ReadId();
            var version = r.ReadInt64();
            var aux = r.ReadSingle();
            r.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
            var pl = OpCodec.ReadPayload(ref r);
            table.PlaceAt(slot);
            table.Dense[0].Load(slot, floats, aux);
            table.Publish(id, slot, pl, version);
        }
    }

    private static void ReadLegacyDead(byte[] payload, PointTable table, SnapshotReader reader, VectorLayout layout)
    {
        if (!layout.IsUnnamedOnly)
        {
            throw new StorageCorruptionException(reader.FilePath, 0, "a DEAD section in a snapshot of a collection with named vectors");
        }

        var dim = layout.DenseDims[0];
        var floats = new float[dim];
        var d = new SpanReader(payload);
        var dead = d.ReadInt32();
        for (var i = 0; i < dead; i++)
        {
            var slot = ReadSlot(ref d, reader);
            var aux = d.ReadSingle();
            d.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
            table.PlaceAt(slot);
            table.Dense[0].Load(slot, floats, aux);
        }
    }

    private static void ReadNamedPoints(byte[] payload, PointTable table, SnapshotReader reader)
    {
        var r = new SpanReader(payload);
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var slot = ReadSlot(ref r, reader);
            var id = r.ReadId();
            var version = r.ReadInt64();
            var pl = OpCodec.ReadPayload(ref r);
            table.PlaceAt(slot);
            ReadDense(ref r, table, slot);
            foreach (var m in table.Multi)
            {
                var rows = r.ReadInt32();
                if (rows > 0)
                {
                    var flat = new float[rows * m.Dimension];
                    r.ReadBytes(flat.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(flat.AsSpan()));
                    m.Set(slot, flat);
                }
            }

            foreach (var sp in table.Sparse)
            {
                var nnz = r.ReadInt32();
                if (nnz >= 0)
                {
                    var indices = new uint[nnz];
                    var values = new float[nnz];
                    r.ReadBytes(nnz * sizeof(uint)).CopyTo(MemoryMarshal.AsBytes(indices.AsSpan()));
                    r.ReadBytes(nnz * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                    sp.Set(slot, new SparseVector(indices, values));
                }
            }

            table.Publish(id, slot, pl, version);
        }
    }

    private static void ReadDense(ref SpanReader r, PointTable table, int slot)
    {
        foreach (var d in table.Dense)
        {
            if (r.ReadByte() != 0)
            {
                var aux = r.ReadSingle();
                var floats = new float[d.Dimension];
                r.ReadBytes(d.Dimension * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
                d.Load(slot, floats, aux);
            }
        }
    }

    /// <summary>The collection config a snapshot file holds (its CONF section); checks every checksum on the way.</summary>
    public static CollectionOptions ReadConfig(string path)
    {
        using var reader = SnapshotReader.Open(path);
        CollectionOptions? options = null;
        while (reader.TryReadSection(out var tag, out var payload))
        {
            if (tag == ConfigTag)
            {
                options = CollectionConfig.Deserialize(payload, path);
            }
        }

        return options ?? throw new StorageCorruptionException(path, 0, "the snapshot has no CONF section");
    }

    private static int ReadSlot(ref SpanReader r, SnapshotReader reader)
    {
        var slot = r.ReadInt32();
        if (slot is < 0 or > int.MaxValue / 2)
        {
            throw new StorageCorruptionException(reader.FilePath, 0, $"implausible slot {slot}");
        }

        return slot;
    }

    /// <summary>Packs records into sections of about 4 MiB, each starting with its record count.</summary>
    private struct Chunk(SnapshotWriter writer, ByteBuffer buffer, uint tag)
    {
        private int _count;

        public void StartRecord()
        {
            if (_count == 0)
            {
                buffer.Clear();
                buffer.WriteInt32(0);
            }
        }

        public void EndRecord()
        {
            _count++;
            if (buffer.Length >= ChunkBytes)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }

            var bytes = buffer.Span.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, _count);
            writer.WriteSection(tag, bytes);
            _count = 0;
        }
    }
}
