using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Spine;

/// <summary>
/// The spine file (format RFSPINE version 1, see docs/file-formats.md): an 8-byte magic
/// <c>RFSPINE\0</c>, the format version (u32 little-endian), the body's length (u64 little-endian),
/// the body (UTF-8 JSON: the model's contract, state and shared-space contributions with their
/// vectors as JSON numbers), and the SHA-256 of everything before it. No executable or
/// language-specific serialization: a damaged or foreign file is refused before anything is read.
/// </summary>
public static class SpineFile
{
    /// <summary>The current format version.</summary>
    public const uint FormatVersion = 1;

    private static readonly byte[] Magic = "RFSPINE\0"u8.ToArray();
    private const int HeaderBytes = 20;
    private const int HashBytes = 32;

    /// <summary>Writes a body into the file form.</summary>
    public static byte[] Write(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        var file = new byte[HeaderBytes + json.Length + HashBytes];
        Magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)json.Length);
        json.CopyTo(file, HeaderBytes);
        SHA256.HashData(file.AsSpan(0, HeaderBytes + json.Length), file.AsSpan(HeaderBytes + json.Length));
        return file;
    }

    /// <summary>Verifies a file and returns its body; a damaged one throws <see cref="ValidationException"/> (field <c>spine</c>).</summary>
    public static JsonObject Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderBytes + HashBytes || !file[..8].SequenceEqual(Magic))
        {
            throw new ValidationException("spine", "not a spine file (no RFSPINE header).");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        if (version != FormatVersion)
        {
            throw new ValidationException("spine", $"format version {version} is not supported (this server reads {FormatVersion}).");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(file[12..]);
        if (length != (ulong)(file.Length - HeaderBytes - HashBytes))
        {
            throw new ValidationException("spine", $"the header says {length} body bytes but the file holds {file.Length - HeaderBytes - HashBytes}: truncated or padded.");
        }

        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(file[..(HeaderBytes + (int)length)], hash);
        if (!hash.SequenceEqual(file[(HeaderBytes + (int)length)..]))
        {
            throw new ValidationException("spine", "checksum mismatch: the file is damaged.");
        }

        try
        {
            return JsonNode.Parse(file.Slice(HeaderBytes, (int)length)) as JsonObject ?? throw new ValidationException("spine", "the body is not a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ValidationException("spine", $"the body is not JSON: {e.Message}");
        }
    }
}
