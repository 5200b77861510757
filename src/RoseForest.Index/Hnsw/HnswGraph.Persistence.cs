using System.Buffers.Binary;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Hnsw;

internal sealed partial class HnswGraph
{
    private const uint ImageMagic = 0x57534E48; // "HNSW"
    private const int ImageVersion = 1;
    private const int ImageHeaderSize = 64;

    /// <summary>
    /// The graph as bytes (docs/file-formats.md, "HNSW image"): a header, then per node below
    /// <paramref name="slotCount"/> its level and deleted flag, then the link lists of present
    /// nodes, layer 0 first, each as a count and ids. Taken on the writer thread, between
    /// writes, so it is consistent; it is small next to the vectors (about 4·(2M+1) bytes a node).
    /// </summary>
    public byte[] Serialize(int slotCount)
    {
        slotCount = Math.Min(slotCount, _capacity);
        var size = (long)ImageHeaderSize + (2L * slotCount);
        for (var n = 0; n < slotCount; n++)
        {
            var level = _levels[n];
            if (level == Absent)
            {
                continue;
            }

            size += 4 * (1 + Links(n, 0)[0]);
            for (var l = 1; l <= level; l++)
            {
                size += 4 * (1 + Links(n, l)[0]);
            }
        }

        var image = new byte[size];
        var span = image.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, ImageMagic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], ImageVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], _m);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], _parameters.EfConstruction);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], _parameters.Seed);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], slotCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], Volatile.Read(ref _entry));
        BinaryPrimitives.WriteInt64LittleEndian(span[36..], Volatile.Read(ref _inserts));
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], _parameters.HubLinks);
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], _parameters.KeepPrunedLinks ? 1 : 0);
        var pos = ImageHeaderSize;
        _levels.AsSpan(0, slotCount).CopyTo(span[pos..]);
        pos += slotCount;
        _deleted.AsSpan(0, slotCount).CopyTo(span[pos..]);
        pos += slotCount;
        for (var n = 0; n < slotCount; n++)
        {
            var level = _levels[n];
            if (level == Absent)
            {
                continue;
            }

            for (var l = 0; l <= level; l++)
            {
                var list = Links(n, l);
                var count = list[0];
                for (var i = 0; i <= count; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[pos..], list[i]);
                    pos += 4;
                }
            }
        }

        return image;
    }

    /// <summary>Rebuilds a graph from <see cref="Serialize"/>'s bytes over a store that holds the same vectors (and the parameters it was built with).</summary>
    public static HnswGraph Deserialize(VectorStore vectors, ReadOnlySpan<byte> image)
    {
        if (image.Length < ImageHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(image) != ImageMagic)
        {
            throw new InvalidDataException("not an HNSW graph image");
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(image[4..]) != ImageVersion)
        {
            throw new InvalidDataException("unsupported HNSW graph image version");
        }

        var parameters = new HnswParameters
        {
            M = BinaryPrimitives.ReadInt32LittleEndian(image[8..]),
            EfConstruction = BinaryPrimitives.ReadInt32LittleEndian(image[12..]),
            Seed = BinaryPrimitives.ReadUInt64LittleEndian(image[16..]),

            // Zero in images written before hubs existed: hubs off, as they were built.
            HubLinks = BinaryPrimitives.ReadInt32LittleEndian(image[44..]),
            KeepPrunedLinks = (BinaryPrimitives.ReadInt32LittleEndian(image[48..]) & 1) != 0,
        };
        try
        {
            parameters.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"HNSW graph image has bad parameters: {e.Message}", e);
        }

        var slotCount = BinaryPrimitives.ReadInt32LittleEndian(image[24..]);
        var entry = BinaryPrimitives.ReadInt64LittleEndian(image[28..]);
        var inserts = BinaryPrimitives.ReadInt64LittleEndian(image[36..]);
        if (slotCount < 0 || slotCount > vectors.Capacity || image.Length < ImageHeaderSize + (2L * slotCount))
        {
            throw new InvalidDataException("HNSW graph image does not fit its vectors");
        }

        var graph = new HnswGraph(vectors, parameters);
        graph.EnsureCapacity(Math.Max(slotCount, 1));
        var pos = ImageHeaderSize;
        var levels = image.Slice(pos, slotCount);
        pos += slotCount;
        var deleted = image.Slice(pos, slotCount);
        pos += slotCount;
        var nodes = 0;
        var dead = 0;
        for (var n = 0; n < slotCount; n++)
        {
            var level = levels[n];
            if (level == Absent)
            {
                continue;
            }

            if (level > 32)
            {
                throw new InvalidDataException($"HNSW node {n} has level {level}");
            }

            graph._levels[n] = level;
            graph._deleted[n] = deleted[n];
            graph._upper[n] = level > 0 ? new int[level * (graph._m + 1)] : null;
            nodes++;
            dead += deleted[n] != 0 ? 1 : 0;
            for (var l = 0; l <= level; l++)
            {
                var list = graph.Links(n, l);
                var count = ReadInt(image, ref pos);
                if (count < 0 || count > (l == 0 ? parameters.MaxLinks0 : graph.MaxLinks(l)))
                {
                    throw new InvalidDataException($"HNSW node {n} has {count} links on layer {l}");
                }

                if (count > list.Length - 1)
                {
                    list = graph.GrowToHub(n, list);
                }

                list[0] = count;
                for (var i = 1; i <= count; i++)
                {
                    var id = ReadInt(image, ref pos);
                    if ((uint)id >= (uint)slotCount)
                    {
                        throw new InvalidDataException($"HNSW node {n} links to {id}, past the {slotCount} slots");
                    }

                    list[i] = id;
                }
            }
        }

        if (pos != image.Length)
        {
            throw new InvalidDataException("trailing bytes after the HNSW graph image");
        }

        graph._nodeCount = nodes;
        graph._deletedCount = dead;
        graph._inserts = inserts;
        graph._entry = entry;
        return graph;
    }

    private static int ReadInt(ReadOnlySpan<byte> image, ref int pos)
    {
        if (pos + 4 > image.Length)
        {
            throw new InvalidDataException("HNSW graph image is truncated");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(image[pos..]);
        pos += 4;
        return value;
    }
}
