using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Tests;

public class TermHashTests
{
    [Theory]
    // The published FNV-1a 32-bit test vectors.
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Fnv1a_matches_the_reference_vectors(string text, uint expected)
    {
        Assert.Equal(expected, TermHash.Fnv1a32(text));
    }

    [Fact]
    public void Hashes_the_utf8_bytes_so_non_ascii_terms_are_stable()
    {
        // "é" is C3 A9 in UTF-8: hashing the chars' UTF-16 units would give another value.
        Assert.Equal(TermHash.Fnv1a32(new byte[] { 0xC3, 0xA9 }), TermHash.Fnv1a32("é"));
    }

    [Fact]
    public void Long_terms_take_the_pooled_buffer_path_and_agree_with_the_byte_hash()
    {
        string longTerm = new('x', 1000);
        Assert.Equal(TermHash.Fnv1a32(System.Text.Encoding.UTF8.GetBytes(longTerm)), TermHash.Fnv1a32(longTerm));
    }
}
