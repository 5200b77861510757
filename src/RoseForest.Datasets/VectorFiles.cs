using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RoseForest.Contracts;
using RoseForest.Core;

namespace RoseForest.Datasets;

/// <summary>
/// Vector files the CLI imports and the benchmarks read: .fvecs (int32 dim, then dim float32, per vector), .npy (a 2-D
/// little-endian float32 or float64 array in C order), IDX (MNIST style, optionally .gz) and JSONL
/// (one {"id", "vector", "payload"} object per line). Ids are sequential from a start id when the
/// file has none.
/// </summary>
public static partial class VectorFiles
{
    /// <summary>The number of vectors in the file (read from its header when it has one).</summary>
    public static long Count(string path) => Format(path) switch
    {
        "fvecs" => FvecsCount(path),
        "npy" => NpyHeader(path).Rows,
        "jsonl" => File.ReadLines(path).LongCount(l => l.Trim().Length > 0),
        _ => Idx.ReadImages(path).Length,
    };

    /// <summary>
    /// The points of the file, read lazily; ids from the file (JSONL) or sequential from
    /// <paramref name="startId"/>. A malformed file throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static IEnumerable<PointStruct> Read(string path, ulong startId) => Format(path) switch
    {
        "fvecs" => ReadFvecs(path, startId),
        "npy" => ReadNpy(path, startId),
        "jsonl" => ReadJsonl(path, startId),
        _ => Idx.ReadImages(path).Select((v, i) => new PointStruct(startId + (ulong)i, v)),
    };

    private static string Format(string path)
    {
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".fvecs", StringComparison.Ordinal))
        {
            return "fvecs";
        }

        if (lower.EndsWith(".npy", StringComparison.Ordinal))
        {
            return "npy";
        }

        if (lower.EndsWith(".jsonl", StringComparison.Ordinal) || lower.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            return "jsonl";
        }

        if (lower.Contains("idx", StringComparison.Ordinal) || lower.EndsWith("-ubyte", StringComparison.Ordinal) || lower.EndsWith("-ubyte.gz", StringComparison.Ordinal))
        {
            return "idx";
        }

        throw new InvalidDataException($"{path}: unknown format; expected .fvecs, .npy, .jsonl, or an IDX file (…-idx3-ubyte[.gz]).");
    }

    private static long FvecsCount(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        f.ReadExactly(head);
        var dim = BinaryPrimitives.ReadInt32LittleEndian(head);
        var record = 4L * (dim + 1);
        if (dim <= 0 || f.Length % record != 0)
        {
            throw new InvalidDataException($"{path}: not an fvecs file (dimension {dim}, {f.Length} bytes).");
        }

        return f.Length / record;
    }

    private static IEnumerable<PointStruct> ReadFvecs(string path, ulong startId)
    {
        using var f = new BufferedStream(File.OpenRead(path), 1 << 20);
        var head = new byte[4];
        ulong id = startId;
        while (f.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4)
        {
            var dim = BinaryPrimitives.ReadInt32LittleEndian(head);
            if (dim <= 0 || dim > CollectionOptions.MaxDimension)
            {
                throw new InvalidDataException($"{path}: vector {id - startId} claims dimension {dim}.");
            }

            var bytes = new byte[dim * 4];
            f.ReadExactly(bytes);
            var v = new float[dim];
            Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
            yield return new PointStruct(id++, v);
        }
    }

    private static (long Rows, int Columns, bool Double, int HeaderBytes) NpyHeader(string path)
    {
        using var f = File.OpenRead(path);
        var preamble = new byte[10];
        f.ReadExactly(preamble);
        if (preamble[0] != 0x93 || Encoding.ASCII.GetString(preamble, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{path}: not a .npy file.");
        }

        int headerLength, offset;
        if (preamble[6] == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble.AsSpan(8));
            offset = 10;
        }
        else
        {
            var extra = new byte[2];
            f.ReadExactly(extra);
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian([preamble[8], preamble[9], extra[0], extra[1]]);
            offset = 12;
        }

        var header = new byte[headerLength];
        f.ReadExactly(header);
        var text = Encoding.ASCII.GetString(header);
        var descr = DescrPattern().Match(text).Groups[1].Value;
        if (FortranPattern().IsMatch(text))
        {
            throw new InvalidDataException($"{path}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray.");
        }

        var shape = ShapePattern().Match(text);
        if (!shape.Success)
        {
            throw new InvalidDataException($"{path}: expected a 2-D array (rows, columns), header {text.Trim()}.");
        }

        var isDouble = descr switch
        {
            "<f4" => false,
            "<f8" => true,
            _ => throw new InvalidDataException($"{path}: dtype {descr} is not supported; use little-endian float32 or float64."),
        };
        return (long.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture), isDouble, offset + headerLength);
    }

    private static IEnumerable<PointStruct> ReadNpy(string path, ulong startId)
    {
        var (rows, columns, isDouble, headerBytes) = NpyHeader(path);
        using var f = new BufferedStream(File.OpenRead(path), 1 << 20);
        f.Seek(headerBytes, SeekOrigin.Begin);
        var bytes = new byte[columns * (isDouble ? 8 : 4)];
        for (long r = 0; r < rows; r++)
        {
            f.ReadExactly(bytes);
            var v = new float[columns];
            for (var c = 0; c < columns; c++)
            {
                v[c] = isDouble ? (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(c * 8)) : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(c * 4));
            }

            yield return new PointStruct(startId + (ulong)r, v);
        }
    }

    private static IEnumerable<PointStruct> ReadJsonl(string path, ulong startId)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Trim().Length == 0)
            {
                continue;
            }

            JsonElement e;
            try
            {
                e = JsonElement.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{line}: not JSON: {ex.Message}");
            }

            if (!e.TryGetProperty("vector", out var vector) || vector.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}:{line}: needs a \"vector\" array.");
            }

            var id = e.TryGetProperty("id", out var idElement) ? PointId.FromJson(idElement, $"line {line}: id") : PointId.FromNumber(startId + (ulong)(line - 1));
            JsonElement? payload = e.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : null;
            yield return new PointStruct(id, [.. vector.EnumerateArray().Select(x => x.GetSingle())], payload);
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)")]
    private static partial Regex ShapePattern();
}
