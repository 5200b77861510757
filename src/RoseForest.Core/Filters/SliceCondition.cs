using System.Buffers.Binary;
using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>
/// Qdrant's <c>slice</c>: the point belongs to slice <see cref="Index"/> of <see cref="Total"/>
/// disjoint slices of the id space, <c>siphash24(id) % total == index</c>, with SipHash-2-4 under
/// a zero key over 8 little-endian bytes for a numeric id or the 16 RFC 4122 bytes of a UUID
/// (Qdrant's <c>slice_point_id_hash</c>, a stable public contract). Never inside a nested filter.
/// </summary>
public sealed class SliceCondition : Condition
{
    /// <summary>Creates the condition; <paramref name="index"/> must be below <paramref name="total"/>.</summary>
    public SliceCondition(uint total, uint index)
    {
        ArgumentOutOfRangeException.ThrowIfZero(total);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, total);
        Total = total;
        Index = index;
    }

    /// <summary>How many slices the id space is split into.</summary>
    public uint Total { get; }

    /// <summary>Which slice.</summary>
    public uint Index { get; }

    /// <summary>The id's slice hash (Qdrant's <c>slice_point_id_hash</c>).</summary>
    public static ulong Hash(PointId id)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (id.IsUuid)
        {
            id.Uuid.TryWriteBytes(bytes, bigEndian: true, out _);
            return SipHash24.Hash(bytes, 0, 0);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes, id.Number);
        return SipHash24.Hash(bytes[..8], 0, 0);
    }

    internal override bool Matches(in FilterPoint point, JsonElement? payload) =>
        !point.InNested && Hash(point.Id) % Total == Index;
}
