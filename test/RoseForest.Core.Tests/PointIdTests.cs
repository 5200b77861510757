using System.Text.Json;

namespace RoseForest.Core.Tests;

public class PointIdTests
{
    [Fact]
    public void Numbers_order_before_uuids_and_uuids_order_like_their_text()
    {
        var uuids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        var ids = uuids.Select(PointId.FromUuid).Concat([PointId.FromNumber(5), PointId.FromNumber(ulong.MaxValue), PointId.FromNumber(0)]).ToList();
        ids.Sort();
        Assert.Equal(0UL, ids[0].Number);
        Assert.Equal(5UL, ids[1].Number);
        Assert.Equal(ulong.MaxValue, ids[2].Number);
        var expected = uuids.Select(u => u.ToString("D")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, ids.Skip(3).Select(i => i.ToString()).ToList());
    }

    [Fact]
    public void Ids_round_trip_through_text_binary_and_json()
    {
        foreach (var id in new[] { PointId.FromNumber(42), PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")) })
        {
            Assert.Equal(id, PointId.Parse(id.ToString()));
            var buffer = new byte[17];
            var n = id.WriteBinary(buffer);
            Assert.Equal(id, PointId.ReadBinary(buffer.AsSpan(0, n), out var consumed));
            Assert.Equal(n, consumed);
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                id.WriteTo(w);
            }

            Assert.Equal(id, PointId.FromJson(JsonElement.Parse(stream.ToArray())));
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("\"12\"")]
    [InlineData("null")]
    [InlineData("[1]")]
    public void Invalid_json_ids_are_refused(string json)
    {
        var e = Assert.Throws<ValidationException>(() => PointId.FromJson(JsonElement.Parse(json), "points[0].id"));
        Assert.Equal("points[0].id", e.Field);
    }

    [Fact]
    public void A_number_and_a_uuid_are_never_equal()
    {
        Assert.NotEqual(PointId.FromNumber(0), PointId.FromUuid(Guid.Empty));
    }
}
