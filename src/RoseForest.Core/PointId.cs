using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace RoseForest.Core;

/// <summary>
/// A point's id: an unsigned 64-bit integer or a UUID, as in Qdrant.
/// Ids order numbers first (by value), then UUIDs (by their canonical big-endian bytes,
/// which is the order of their hyphenated lowercase text).
/// </summary>
public readonly struct PointId : IEquatable<PointId>, IComparable<PointId>
{
    private readonly ulong _hi;
    private readonly ulong _lo;
    private readonly bool _isUuid;

    private PointId(ulong hi, ulong lo, bool isUuid)
    {
        _hi = hi;
        _lo = lo;
        _isUuid = isUuid;
    }

    /// <summary>True when the id is a UUID, false when it is a number.</summary>
    public bool IsUuid => _isUuid;

    /// <summary>The numeric value; throws when the id is a UUID.</summary>
    public ulong Number => _isUuid ? throw new InvalidOperationException("The point id is a UUID, not a number.") : _lo;

    /// <summary>The UUID value; throws when the id is a number.</summary>
    public Guid Uuid
    {
        get
        {
            if (!_isUuid)
            {
                throw new InvalidOperationException("The point id is a number, not a UUID.");
            }

            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _hi);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _lo);
            return new Guid(bytes, bigEndian: true);
        }
    }

    /// <summary>Creates a numeric id.</summary>
    public static PointId FromNumber(ulong value) => new(0, value, false);

    /// <summary>Creates a UUID id.</summary>
    public static PointId FromUuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new PointId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), true);
    }

    /// <summary>A numeric id.</summary>
    public static implicit operator PointId(ulong value) => FromNumber(value);

    /// <summary>A UUID id.</summary>
    public static implicit operator PointId(Guid value) => FromUuid(value);

    /// <summary>Parses a decimal unsigned integer or a UUID.</summary>
    public static PointId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new ValidationException("id", $"'{text}' is neither an unsigned integer nor a UUID.");

    /// <summary>Parses a decimal unsigned integer or a UUID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PointId id)
    {
        if (text is not null)
        {
            if (text.Length > 0 && char.IsAsciiDigit(text[0]) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                id = FromNumber(n);
                return true;
            }

            if (Guid.TryParse(text, out var g))
            {
                id = FromUuid(g);
                return true;
            }
        }

        id = default;
        return false;
    }

    /// <summary>
    /// Reads an id from JSON as Qdrant does: a non-negative integer, or a string holding a UUID.
    /// </summary>
    public static PointId FromJson(JsonElement element, string field = "id")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetUInt64(out var n):
                return FromNumber(n);
            case JsonValueKind.String when Guid.TryParse(element.GetString(), out var g):
                return FromUuid(g);
            default:
                throw new ValidationException(field, $"a point id must be an unsigned integer or a UUID string, got {Describe(element)}.");
        }
    }

    private static string Describe(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }

    /// <summary>Writes the id as JSON: a number, or a UUID string.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_isUuid)
        {
            writer.WriteStringValue(Uuid);
        }
        else
        {
            writer.WriteNumberValue(_lo);
        }
    }

    /// <inheritdoc />
    public bool Equals(PointId other) => _lo == other._lo && _hi == other._hi && _isUuid == other._isUuid;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PointId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _isUuid ? HashCode.Combine(_hi, _lo) : _lo.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(PointId other)
    {
        if (_isUuid != other._isUuid)
        {
            return _isUuid ? 1 : -1;
        }

        var c = _hi.CompareTo(other._hi);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    /// <summary>The decimal number, or the UUID in hyphenated lowercase form.</summary>
    public override string ToString() => _isUuid ? Uuid.ToString("D") : _lo.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(PointId left, PointId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PointId left, PointId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(PointId left, PointId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(PointId left, PointId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(PointId left, PointId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(PointId left, PointId right) => left.CompareTo(right) >= 0;

    /// <summary>Writes the id in 9 or 17 bytes: a tag (0 number, 1 UUID) then the value, little-endian.</summary>
    internal int WriteBinary(Span<byte> destination)
    {
        if (_isUuid)
        {
            destination[0] = 1;
            BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], _hi);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[9..], _lo);
            return 17;
        }

        destination[0] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], _lo);
        return 9;
    }

    /// <summary>The number of bytes <see cref="WriteBinary"/> writes.</summary>
    internal int BinarySize => _isUuid ? 17 : 9;

    /// <summary>Reads an id written by <see cref="WriteBinary"/>.</summary>
    internal static PointId ReadBinary(ReadOnlySpan<byte> source, out int consumed)
    {
        switch (source[0])
        {
            case 0:
                consumed = 9;
                return FromNumber(BinaryPrimitives.ReadUInt64LittleEndian(source[1..]));
            case 1:
                consumed = 17;
                return new PointId(BinaryPrimitives.ReadUInt64LittleEndian(source[1..]), BinaryPrimitives.ReadUInt64LittleEndian(source[9..]), true);
            default:
                throw new InvalidDataException($"Unknown point id tag {source[0]}.");
        }
    }
}
