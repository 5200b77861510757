using System.Runtime.InteropServices;
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
/// </summary>
internal static class SnapshotCodec
{
    public const uint ConfigTag = 0x464E4F43; // "CONF"
    public const uint PointsTag = 0x53544E50; // "PNTS"
    public const uint DeadTag = 0x44414544; // "DEAD"
    public const uint GraphTag = 0x57534E48; // "HNSW"
    private const int ChunkBytes = 4 << 20;

    public static void Write(SnapshotWriter writer, CollectionOptions options, TableView table)
    {
        writer.WriteSection(ConfigTag, CollectionConfig.Serialize(options));
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
            buffer.WriteSingle(table.Vectors.Aux(slot));
            buffer.Write(MemoryMarshal.AsBytes(table.Vectors.Get(slot)));
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
            buffer.WriteSingle(table.Vectors.Aux(slot));
            buffer.Write(MemoryMarshal.AsBytes(table.Vectors.Get(slot)));
            chunk.EndRecord();
        }

        chunk.Flush();
        if (table.GraphImage is { } image)
        {
            writer.WriteSection(GraphTag, image);
        }
    }

    /// <summary>
    /// Loads a snapshot into an empty table, checking every section's checksum as it goes (one
    /// pass); returns the snapshot's LSN. The graph is restored when the snapshot has one and the
    /// collection wants one (else the caller rebuilds it). On damage it throws and the table must
    /// be discarded.
    /// </summary>
    public static long Read(SnapshotReader reader, PointTable table, CollectionOptions expected)
    {
        var dim = expected.Dimension;
        var floats = new float[dim];
        byte[]? graphImage = null;
        while (reader.TryReadSection(out var tag, out var payload))
        {
            switch (tag)
            {
                case ConfigTag:
                    var stored = CollectionConfig.Deserialize(payload, reader.FilePath);
                    if (stored.Dimension != expected.Dimension || stored.Geometry != expected.Geometry || stored.Curvature != expected.Curvature)
                    {
                        throw new StorageCorruptionException(reader.FilePath, 0, $"the snapshot is of a {stored.Dimension}-d {stored.Geometry} collection, the collection is {expected.Dimension}-d {expected.Geometry}");
                    }

                    break;
                case PointsTag:
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
                        table.Vectors.Set(slot, floats, aux);
                        table.Publish(id, slot, pl, version);
                    }

                    break;
                case DeadTag:
                    var d = new SpanReader(payload);
                    var dead = d.ReadInt32();
                    for (var i = 0; i < dead; i++)
                    {
                        var slot = ReadSlot(ref d, reader);
                        var aux = d.ReadSingle();
                        d.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
                        table.PlaceAt(slot);
                        table.Vectors.Set(slot, floats, aux);
                    }

                    break;
                case GraphTag:
                    graphImage = payload;
                    break;
                default:
                    // Sections this version does not know (written by a later one) are skipped.
                    break;
            }
        }

        if (graphImage is not null && expected.Hnsw is not null)
        {
            try
            {
                table.Graph = HnswGraph.Deserialize(table.Vectors, graphImage);
            }
            catch (InvalidDataException e)
            {
                throw new StorageCorruptionException(reader.FilePath, 0, $"the HNSW section is unreadable: {e.Message}");
            }
        }

        table.RebuildFreeList();
        return reader.Lsn;
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
