using System.Runtime.InteropServices;
using RoseForest.Storage;
using RoseForest.Storage.Snapshots;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A collection's state inside a snapshot file (docs/file-formats.md):
/// <code>
/// section "CONF": the collection config, JSON
/// section "PNTS" (repeated, ≤ 4 MiB each): u32 count | per point: id | i64 version | f32 aux | dim × f32 | i32 payload length (−1: none), UTF-8
/// </code>
/// </summary>
internal static class SnapshotCodec
{
    public const uint ConfigTag = 0x464E4F43; // "CONF"
    public const uint PointsTag = 0x53544E50; // "PNTS"
    private const int ChunkBytes = 4 << 20;

    public static void Write(SnapshotWriter writer, CollectionOptions options, TableView table)
    {
        writer.WriteSection(ConfigTag, CollectionConfig.Serialize(options));
        var buffer = new ByteBuffer();
        var count = 0;
        var countOffset = 0;
        Span<byte> id = stackalloc byte[17];
        for (var slot = 0; slot < table.SlotCount; slot++)
        {
            if (!table.Live[slot])
            {
                continue;
            }

            if (count == 0)
            {
                buffer.Clear();
                countOffset = buffer.Length;
                buffer.WriteInt32(0);
            }

            buffer.Write(id[..table.Ids[slot].WriteBinary(id)]);
            buffer.WriteInt64(table.Versions[slot]);
            buffer.WriteSingle(table.Vectors.Aux(slot));
            buffer.Write(MemoryMarshal.AsBytes(table.Vectors.Get(slot)));
            OpCodec.WritePayload(buffer, table.Payloads[slot]);
            count++;
            if (buffer.Length >= ChunkBytes)
            {
                FlushChunk(writer, buffer, countOffset, count);
                count = 0;
            }
        }

        if (count > 0)
        {
            FlushChunk(writer, buffer, countOffset, count);
        }
    }

    private static void FlushChunk(SnapshotWriter writer, ByteBuffer buffer, int countOffset, int count)
    {
        var bytes = buffer.Span.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countOffset), count);
        writer.WriteSection(PointsTag, bytes);
    }

    /// <summary>
    /// Loads a snapshot into an empty table, checking every section's checksum as it goes (one
    /// pass); returns the snapshot's LSN. On damage it throws and the table must be discarded.
    /// </summary>
    public static long Read(SnapshotReader reader, PointTable table, CollectionOptions expected)
    {
        var dim = expected.Dimension;
        var floats = new float[dim];
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
                    table.EnsureCapacity(count);
                    for (var i = 0; i < count; i++)
                    {
                        var id = r.ReadId();
                        var version = r.ReadInt64();
                        var aux = r.ReadSingle();
                        r.ReadBytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
                        var pl = OpCodec.ReadPayload(ref r);
                        var slot = table.AllocateSlot();
                        table.Vectors.Set(slot, floats, aux);
                        table.Publish(id, slot, pl, version);
                    }

                    break;
                default:
                    // Sections this version does not know (written by a later one) are skipped.
                    break;
            }
        }

        table.RecycleFreed();
        return reader.Lsn;
    }
}
