using System.Buffers;
using System.Text;

namespace RoseForest.Embeddings.Text;

/// <summary>
/// Maps a term to a stable 32-bit id with FNV-1a over the term's UTF-8 bytes. The id is the
/// same on every machine, process and .NET version (unlike <see cref="string.GetHashCode()"/>),
/// so sparse vectors written today can be queried tomorrow.
/// </summary>
/// <remarks>
/// Collisions: 32 bits give about n² / 2³³ colliding pairs among n distinct terms, so about
/// 0.001 for a 3,000-term vocabulary, 1.2 for 100,000 terms and 116 for a million. Two colliding
/// terms share one sparse dimension: their term frequencies add up in a document that holds both,
/// and their document frequency is that of either. Recall is barely touched (a query for one also
/// matches documents with the other, at that term's weight); ranking can shift for those two
/// terms only. The ids are not Qdrant's built-in <c>bm25</c> ids (that one hashes with murmur3 after
/// stemming), so vectors from the two must not be mixed in one sparse vector field.
/// </remarks>
public static class TermHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;
    private const int StackLimit = 256;

    /// <summary>FNV-1a (32-bit) of the UTF-8 encoding of <paramref name="term"/>.</summary>
    public static uint Fnv1a32(ReadOnlySpan<char> term)
    {
        int max = Encoding.UTF8.GetMaxByteCount(term.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = Encoding.UTF8.GetBytes(term, buffer);
            return Fnv1a32(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>FNV-1a (32-bit) of raw bytes.</summary>
    public static uint Fnv1a32(ReadOnlySpan<byte> bytes)
    {
        uint hash = OffsetBasis;
        foreach (byte b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }
}
