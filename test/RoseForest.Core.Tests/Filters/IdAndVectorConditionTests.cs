using System.Text.Json;
using RoseForest.Core.Filters;
using static RoseForest.Core.Tests.Filters.FilterAssert;

namespace RoseForest.Core.Tests.Filters;

/// <summary>
/// has_vector, slice, values_count and is_empty/is_null. SipHash vectors are the SipHash paper's
/// (as qdrant-client's local/tests/test_siphash.py pins them); the slice properties are those of
/// Qdrant's query_checker.rs test_slice_condition_checker; values_count on a missing field is
/// qdrant#9586 (condition_checker.rs test_value_count_missing_field).
/// </summary>
public class IdAndVectorConditionTests
{
    private sealed class Vectors(params string[] names) : IPointVectors
    {
        public bool Has(string vectorName) => names.Contains(vectorName);
    }

    [Fact]
    public void Has_vector_asks_the_point_and_defaults_to_the_unnamed_vector()
    {
        var payload = JsonElement.Parse("{}");
        Assert.True(Filter.Where(Condition.HasVector("")).Matches(PointId.FromNumber(1), payload));
        Assert.False(Filter.Where(Condition.HasVector("image")).Matches(PointId.FromNumber(1), payload));
        Assert.True(Filter.Where(Condition.HasVector("image")).Matches(PointId.FromNumber(1), payload, new Vectors("text", "image")));
        Assert.False(Filter.Where(Condition.HasVector("")).Matches(PointId.FromNumber(1), payload, new Vectors("text")));
        Assert.True(new Filter(mustNot: [Condition.HasVector("audio")]).Matches(PointId.FromNumber(1), null, new Vectors("text")));
    }

    [Fact]
    public void Siphash_matches_the_reference_vectors()
    {
        ulong[] expected = [0x726FDB47DD0E0E31, 0x74F839C593DC67FD, 0x0D6C8009D9A94F5A, 0x85676696D7FB7E2D, 0xCF2794E0277187B7, 0x18765564CD99A68D, 0xCBC9466E58FEE3CE, 0xAB0200F58B01D137];
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var k0 = BitConverter.ToUInt64(key, 0);
        var k1 = BitConverter.ToUInt64(key, 8);
        for (var length = 0; length < expected.Length; length++)
        {
            var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
            Assert.Equal(expected[length], SipHash24.Hash(message, k0, k1));
        }
    }

    [Fact]
    public void Slices_partition_the_id_space_and_nest_across_totals()
    {
        var ids = Enumerable.Range(0, 100).Select(i => PointId.FromNumber((ulong)i))
            .Concat(Enumerable.Range(0, 100).Select(i => PointId.FromUuid(new Guid((uint)i * 2654435761u, (ushort)i, 7, 1, 2, 3, 4, 5, 6, 7, (byte)i))))
            .ToArray();
        foreach (var id in ids)
        {
            Assert.Single(Enumerable.Range(0, 5), index => SliceHolds(id, 5, (uint)index));
            Assert.False(new Filter(mustNot: [Condition.Slice(5, (uint)Enumerable.Range(0, 5).First(index => SliceHolds(id, 5, (uint)index)))]).Matches(id, null));
            if (SliceHolds(id, 4, 0))
            {
                Assert.True(SliceHolds(id, 2, 0)); // slice 0 of 4 lies inside slice 0 of 2
            }
        }

        for (uint index = 0; index < 5; index++)
        {
            Assert.Contains(ids, id => SliceHolds(id, 5, index));
        }
    }

    [Fact]
    public void Slice_hashes_numbers_little_endian_and_uuids_in_rfc_4122_order()
    {
        Assert.Equal(SipHash24.Hash([1, 0, 0, 0, 0, 0, 0, 0], 0, 0), SliceCondition.Hash(PointId.FromNumber(1)));
        var uuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        byte[] rfc = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
        Assert.Equal(SipHash24.Hash(rfc, 0, 0), SliceCondition.Hash(PointId.FromUuid(uuid)));
    }

    [Theory]
    [InlineData(null, null, 1L, null, true)] // 0 < 1
    [InlineData(0L, null, null, null, false)] // 0 > 0 fails
    [InlineData(null, 0L, null, null, true)]
    [InlineData(null, null, null, 0L, true)]
    [InlineData(null, 1L, null, null, false)]
    public void Values_count_counts_a_missing_field_as_zero(long? gt, long? gte, long? lt, long? lte, bool expected)
    {
        Assert.Equal(expected, Holds(Condition.ValuesCount("tags", gt, gte, lt, lte), """{"other":1}"""));
        Assert.Equal(expected, Holds(Condition.ValuesCount("tags", gt, gte, lt, lte), "none"));
    }

    [Theory]
    [InlineData("""{"rating":[3,7,9,9]}""", 10L, null, false)]
    [InlineData("""{"rating":[3,7,9,9]}""", null, 5L, true)]
    [InlineData("""{"c":[{"country":"Germany"},{"country":"France"}]}""", 2L, null, true)]
    [InlineData("""{"rating":null}""", null, 1L, true)] // null counts 0
    public void Values_count_counts_an_array(string payload, long? gte, long? lt, bool expected)
    {
        var key = payload.Contains("rating", StringComparison.Ordinal) ? "rating" : "c";
        Assert.Equal(expected, Holds(Condition.ValuesCount(key, gte: gte, lt: lt), payload));
    }

    [Fact]
    public void Negative_values_count_bounds_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Condition.ValuesCount("k", gt: -1));

    private static bool SliceHolds(PointId id, uint total, uint index) => Filter.Where(Condition.Slice(total, index)).Matches(id, null);
}
