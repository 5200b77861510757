using System.Text.Json;
using RoseForest.Core.Filters;
using static RoseForest.Core.Tests.Filters.FilterAssert;

namespace RoseForest.Core.Tests.Filters;

/// <summary>
/// nested, ported from Qdrant's lib/segment/tests/integration/nested_filtering_test.rs (the
/// same payloads; the expected sets follow from them) and the filtering docs' dinosaur example
/// (qdrant.tech/documentation/concepts/filtering/#nested-object-filter).
/// </summary>
public class NestedConditionTests
{
    private const int Points = 200;

    private static JsonElement NestedPayload(int i) => JsonSerializer.SerializeToElement(new
    {
        arr1 = new object[]
        {
            new { a = (object)1, b = (i % 10) + 1, c = (i % 2) + 1, d = i % 3, text = $"a1 b{i} c{(i % 10) + 1} d{i % 3}" },
            new { a = (object)2, b = (i % 10) + 2, c = (i % 2) + 1, d = i % 3, text = $"a2 b{i} c{(i % 10) + 2} d{i % 3}" },
            new { a = (object)3, b = (i % 10) + 3, c = (i % 2) + 2, d = i % 3, text = $"a3 b{i} c{(i % 10) + 3} d{i % 3}" },
            new { a = (object)4, b = (i % 10) + 4, c = (i % 2) + 2, d = i % 3, text = $"a4 b{i} c{(i % 10) + 4} d{i % 3}" },
            new { a = (object)new[] { 5, 6 }, b = (i % 10) + 5, c = (i % 2) + 2, d = i % 3, text = $"a5 b{i} c{(i % 10) + 5} d{i % 3}" },
        },
        f = i % 10,
        arr2 = new[]
        {
            new { arr3 = new[] { new { a = 1, b = (i % 7) + 1 }, new { a = 2, b = (i % 7) + 2 } } },
            new { arr3 = new[] { new { a = 3, b = (i % 7) + 3 }, new { a = 4, b = (i % 7) + 4 } } },
        },
    });

    private static int[] Matching(Filter filter) =>
        [.. Enumerable.Range(0, Points).Where(i => filter.Matches(PointId.FromNumber((ulong)i), NestedPayload(i)))];

    [Fact]
    public void Must_not_inside_nested_excludes_elements_not_points()
    {
        // a = 1 and c = 1 and not d <= 1, all on the same element: i even and i % 3 == 2.
        var filter = Filter.Where(Condition.Nested("arr1", new Filter(
            must: [Condition.Match("a", 1), Condition.Match("c", 1)],
            mustNot: [Condition.Range("d", lte: 1)])));
        Assert.Equal([.. Enumerable.Range(0, Points).Where(i => i % 6 == 2)], Matching(filter));
    }

    [Fact]
    public void Must_inside_nested_holds_on_one_element()
    {
        var filter = Filter.Where(Condition.Nested("arr1", Filter.Where(Condition.Match("a", 1), Condition.Match("c", 1), Condition.Match("d", 0))));
        Assert.Equal([.. Enumerable.Range(0, Points).Where(i => i % 6 == 0)], Matching(filter));
    }

    [Fact]
    public void Full_text_inside_nested_reads_the_element()
    {
        // The element with a = 1 has text "a1 b{i} c{i % 10 + 1} d{i % 3}": token c1 means i % 10 == 0.
        var filter = Filter.Where(Condition.Nested("arr1", Filter.Where(Condition.Match("a", 1), Condition.Text("text", "c1"), Condition.Match("d", 0))));
        Assert.Equal([.. Enumerable.Range(0, Points).Where(i => i % 30 == 0)], Matching(filter));
    }

    [Fact]
    public void Nested_conditions_nest()
    {
        // arr1 has b = 1 only when i % 10 == 0; some arr3 element has b = 10 only when i % 7 == 6.
        var filter = Filter.Where(
            Condition.Nested("arr1", Filter.Where(Condition.Match("b", 1))),
            Condition.Nested("arr2", Filter.Where(Condition.Nested("arr3", Filter.Where(Condition.Match("b", 10))))));
        Assert.Equal([20, 90, 160], Matching(filter));
    }

    [Fact]
    public void Dinosaurs_without_and_with_nested()
    {
        const string tRex = """{"dinosaur":"t-rex","diet":[{"food":"leaves","likes":false},{"food":"meat","likes":true}]}""";
        const string diplodocus = """{"dinosaur":"diplodocus","diet":[{"food":"leaves","likes":true},{"food":"meat","likes":false}]}""";
        var flat = Filter.Where(Condition.Match("diet[].food", "meat"), Condition.Match("diet[].likes", true));
        var nested = Filter.Where(Condition.Nested("diet", Filter.Where(Condition.Match("food", "meat"), Condition.Match("likes", true))));
        Assert.True(flat.Matches(PointId.FromNumber(1), JsonElement.Parse(tRex)));
        Assert.True(flat.Matches(PointId.FromNumber(2), JsonElement.Parse(diplodocus)));
        Assert.True(nested.Matches(PointId.FromNumber(1), JsonElement.Parse(tRex)));
        Assert.False(nested.Matches(PointId.FromNumber(2), JsonElement.Parse(diplodocus)));
    }

    [Theory]
    [InlineData("""{"d":[{"x":1},{"x":2}]}""", "d", true)]
    [InlineData("""{"d":[{"x":1},{"x":2}]}""", "d[]", true)] // key may already end with []
    [InlineData("""{"d":{"x":1}}""", "d", false)] // an object is not an array of objects
    [InlineData("""{"d":[1,{"x":1}]}""", "d", true)] // non-object elements are skipped
    [InlineData("""{"d":[[{"x":1}]]}""", "d", false)]
    [InlineData("""{"d":[]}""", "d", false)]
    [InlineData("""{"o":{"d":[{"x":1}]}}""", "o.d", true)]
    [InlineData("none", "d", false)]
    public void Nested_applies_to_object_elements_of_the_array(string payload, string key, bool expected) =>
        Assert.Equal(expected, Holds(Condition.Nested(key, Filter.Where(Condition.Match("x", 1))), payload));

    [Fact]
    public void Has_id_has_vector_and_slice_never_match_inside_nested()
    {
        const string payload = """{"d":[{"x":1}]}""";
        Assert.True(Holds(Condition.HasId(PointId.FromNumber(7)), payload, id: 7));
        Assert.False(Holds(Condition.Nested("d", Filter.Where(Condition.HasId(PointId.FromNumber(7)))), payload, id: 7));
        Assert.True(Holds(Condition.Nested("d", new Filter(mustNot: [Condition.HasId(PointId.FromNumber(7))])), payload, id: 7));
        Assert.False(Holds(Condition.Nested("d", Filter.Where(Condition.HasVector(""))), payload));
        Assert.False(Holds(Condition.Nested("d", Filter.Where(Condition.Slice(1, 0))), payload));
    }

    [Fact]
    public void An_empty_nested_filter_holds_when_some_element_is_an_object() =>
        Assert.True(Holds(Condition.Nested("d", Filter.Empty), """{"d":[0,{}]}"""));
}
