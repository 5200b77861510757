using System.Buffers.Binary;
using System.IO.Compression;

namespace RoseForest.Datasets;

/// <summary>The IDX format (LeCun's MNIST files), optionally gzipped.</summary>
public static class Idx
{
    /// <summary>An image file (magic 0x803) as one float vector per image, values 0..255.</summary>
    public static float[][] ReadImages(string path)
    {
        var bytes = ReadAll(path);
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != 0x00000803)
        {
            throw new InvalidDataException($"{path}: not an IDX image file (magic 0x{magic:X8}).");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        var cols = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        var dim = rows * cols;
        if (bytes.Length < 16 + ((long)count * dim))
        {
            throw new InvalidDataException($"{path}: truncated ({bytes.Length} bytes for {count} images of {dim}).");
        }

        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[dim];
            var row = bytes.AsSpan(16 + (i * dim), dim);
            for (var j = 0; j < dim; j++)
            {
                v[j] = row[j];
            }

            result[i] = v;
        }

        return result;
    }

    /// <summary>A label file (magic 0x801), one byte per item.</summary>
    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        if (BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x00000801)
        {
            throw new InvalidDataException($"{path}: not an IDX label file.");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        return bytes.AsSpan(8, count).ToArray();
    }

    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? (Stream)new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
