using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace RoseForest.Knowledge.Signing;

/// <summary>
/// Appends the primitives of the canonical forms (docs/knowledge.md, "Canonical forms"): big-endian
/// integers, IEEE-754 binary64 numbers, u32-length-prefixed UTF-8 strings, u32-count-prefixed lists,
/// and a presence byte (0x00 absent, 0x01 present) before every optional value.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteByte(byte value) => _buffer.Write([value]);

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>binary64, big-endian; -0.0 is written as +0.0; NaN and infinities are refused.</summary>
    public void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "canonical numbers are finite");
        }

        BinaryPrimitives.WriteDoubleBigEndian(_buffer.GetSpan(8), value == 0 ? 0.0 : value);
        _buffer.Advance(8);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)length);
        var written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(written);
    }

    public void WritePresence(bool present) => WriteByte(present ? (byte)1 : (byte)0);

    public void WriteOptionalString(string? value)
    {
        WritePresence(value is not null);
        if (value is not null)
        {
            WriteString(value);
        }
    }

    public void WriteOptionalInt64(long? value)
    {
        WritePresence(value.HasValue);
        if (value.HasValue)
        {
            WriteInt64(value.Value);
        }
    }

    public void WriteList<T>(IReadOnlyList<T> items, Action<CanonicalWriter, T> writeItem)
    {
        WriteUInt32((uint)items.Count);
        foreach (var item in items)
        {
            writeItem(this, item);
        }
    }

    public void WriteOptionalList<T>(IReadOnlyList<T>? items, Action<CanonicalWriter, T> writeItem)
    {
        WritePresence(items is not null);
        if (items is not null)
        {
            WriteList(items, writeItem);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Orders strings by their UTF-8 bytes, the order the canonical forms sort keys in.</summary>
    public static int CompareUtf8(string a, string b)
    {
        // Ordinal UTF-16 order differs from UTF-8 byte order only around surrogates; compare bytes to be exact.
        var left = Encoding.UTF8.GetBytes(a);
        var right = Encoding.UTF8.GetBytes(b);
        return left.AsSpan().SequenceCompareTo(right);
    }
}
