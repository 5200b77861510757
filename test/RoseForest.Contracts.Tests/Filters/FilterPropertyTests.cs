using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Tests.Filters;

/// <summary>
/// Random filters over every condition kind: written JSON reads back to the same filter, and the
/// model agrees with an independently written reference evaluator on random payloads.
/// </summary>
public class FilterPropertyTests
{
    private sealed class Vectors(IReadOnlySet<string> names) : IPointVectors
    {
        public bool Has(string vectorName) => names.Contains(vectorName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Written_filters_read_back_to_the_same_filter(int seed)
    {
        var gen = new FilterGenerator(new Random(seed));
        for (var i = 0; i < 400; i++)
        {
            var generated = gen.Filter(depth: 3);
            var json = generated.ToJsonString();
            var parsed = QdrantFilter.Parse(json);
            var written = QdrantFilter.ToJson(parsed);
            Assert.True(JsonNode.DeepEquals(generated, JsonNode.Parse(written)), $"wrote\n{written}\nfor\n{json}");

            // Reading the written form gives a filter that writes the same text and decides the same.
            var again = QdrantFilter.Parse(written);
            Assert.Equal(written, QdrantFilter.ToJson(again));
            for (var k = 0; k < 10; k++)
            {
                var payload = JsonElement.Parse(gen.Payload().ToJsonString());
                var id = PointId.FromNumber((ulong)gen.Random.Next(10));
                Assert.Equal(parsed.Matches(id, payload), again.Matches(id, payload));
            }
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void The_model_agrees_with_the_reference_evaluator(int seed)
    {
        var gen = new FilterGenerator(new Random(seed));
        // The reference reads parsed JSON (as a server would receive it), not the generator's nodes.
        var payloads = Enumerable.Range(0, 60).Select(_ => JsonNode.Parse(gen.Payload().ToJsonString())!.AsObject()).ToArray();
        var elements = payloads.Select(p => JsonElement.Parse(p.ToJsonString())).ToArray();
        string[] names = ["", "img", "txt"];
        var points = payloads.Select(_ => new FilterReference.Point(
            (ulong)gen.Random.Next(10),
            names.Where(_ => gen.Random.Next(2) == 0).ToHashSet())).ToArray();

        var matched = 0;
        var evaluated = 0;
        for (var i = 0; i < 300; i++)
        {
            var filterJson = JsonNode.Parse(gen.Filter(depth: 3).ToJsonString())!.AsObject();
            var filter = QdrantFilter.Parse(filterJson.ToJsonString());
            for (var p = 0; p < payloads.Length; p++)
            {
                var payload = p % 15 == 0 ? null : payloads[p];
                var expected = FilterReference.Filter(filterJson, payload, points[p]);
                var actual = filter.Matches(PointId.FromNumber(points[p].Id), payload is null ? null : elements[p], new Vectors(points[p].Vectors));
                if (expected != actual)
                {
                    Assert.Fail($"model {actual}, reference {expected}\nfilter {filterJson.ToJsonString()}\npayload {payload?.ToJsonString() ?? "none"}\nid {points[p].Id}, vectors [{string.Join(",", points[p].Vectors)}]");
                }

                matched += actual ? 1 : 0;
                evaluated++;
            }
        }

        // The generator is useful only if both answers are common.
        Assert.InRange(matched, evaluated / 20, evaluated - (evaluated / 20));
    }

    [Fact]
    public void Each_condition_kind_is_generated()
    {
        var gen = new FilterGenerator(new Random(1));
        var text = string.Concat(Enumerable.Range(0, 400).Select(_ => gen.Filter(3).ToJsonString()));
        foreach (var kind in new[] { "\"match\"", "\"value\"", "\"any\"", "\"except\"", "\"text\"", "\"phrase\"", "\"text_any\"", "\"prefix\"", "\"range\"", "\"geo_radius\"", "\"geo_bounding_box\"", "\"geo_polygon\"", "\"interiors\"", "\"values_count\"", "\"is_empty\"", "\"is_null\"", "\"has_id\"", "\"has_vector\"", "\"slice\"", "\"nested\"", "\"min_should\"", "\"should\"", "\"must_not\"" })
        {
            Assert.Contains(kind, text, StringComparison.Ordinal);
        }
    }
}
