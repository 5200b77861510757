using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Tests;

public class PayloadTests
{
    private static string Text(JsonElement e) => e.GetRawText();

    [Fact]
    public void Set_merges_top_level_keys_and_keeps_the_rest()
    {
        var merged = Payload.Merge(JsonElement.Parse("""{"a":1,"b":2}"""), JsonElement.Parse("""{"b":3,"c":4}"""), null);
        Assert.Equal("""{"a":1,"b":3,"c":4}""", Text(merged));
    }

    [Fact]
    public void Set_with_a_key_merges_into_the_nested_object_creating_it()
    {
        var merged = Payload.Merge(JsonElement.Parse("""{"a":{"x":1},"b":2}"""), JsonElement.Parse("""{"y":5}"""), PayloadPath.Parse("a"));
        Assert.Equal("""{"a":{"x":1,"y":5},"b":2}""", Text(merged));
        var created = Payload.Merge(null, JsonElement.Parse("""{"y":5}"""), PayloadPath.Parse("p.q"));
        Assert.Equal("""{"p":{"q":{"y":5}}}""", Text(created));
    }

    [Fact]
    public void Delete_keys_removes_nested_and_projected_paths()
    {
        var payload = JsonElement.Parse("""{"a":{"b":1,"c":2},"arr":[{"x":1,"y":2},{"x":3}],"d":4}""");
        var result = Payload.DeleteKeys(payload, [PayloadPath.Parse("a.b"), PayloadPath.Parse("arr[].x"), PayloadPath.Parse("missing")]);
        Assert.Equal("""{"a":{"c":2},"arr":[{"y":2},{}],"d":4}""", Text(result));
    }

    [Fact]
    public void Project_keeps_only_the_selected_paths()
    {
        var payload = JsonElement.Parse("""{"a":{"b":1,"c":2},"d":4,"e":5}""");
        Assert.Equal("""{"a":{"b":1},"d":4}""", Text(Payload.Project(payload, [PayloadPath.Parse("a.b"), PayloadPath.Parse("d"), PayloadPath.Parse("zz")])));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("3")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Payloads_that_are_not_objects_are_refused(string json)
    {
        var e = Assert.Throws<ValidationException>(() => Payload.Parse(json, "points[2].payload"));
        Assert.Equal("points[2].payload", e.Field);
    }
}
