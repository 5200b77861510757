using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Tests;

/// <summary>The filter language, checked against Qdrant's documented and coded semantics.</summary>
public class FilterTests
{
    private static bool Eval(string filter, string payload, ulong id = 1) =>
        QdrantFilter.Parse(filter).Matches(PointId.FromNumber(id), payload == "none" ? null : JsonElement.Parse(payload));

    [Theory]
    [InlineData("""{"city":"London"}""", true)]
    [InlineData("""{"city":"Berlin"}""", false)]
    [InlineData("""{"city":["Berlin","London"]}""", true)]
    [InlineData("""{"city":[["London"]]}""", false)] // only one level of array is unwrapped
    [InlineData("""{"other":"London"}""", false)]
    [InlineData("none", false)]
    public void Match_value_on_keywords(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"city","match":{"value":"London"}}]}""", payload));

    [Theory]
    [InlineData("""{"n":1}""", true)]
    [InlineData("""{"n":1.0}""", false)] // a stored float is not the integer 1
    [InlineData("""{"n":"1"}""", false)]
    [InlineData("""{"n":[3,1]}""", true)]
    public void Match_value_on_integers(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"n","match":{"value":1}}]}""", payload));

    [Theory]
    [InlineData("""{"ok":true}""", true)]
    [InlineData("""{"ok":"true"}""", false)]
    public void Match_value_on_bools(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"ok","match":{"value":true}}]}""", payload));

    [Theory]
    [InlineData("""{"c":"red"}""", true)]
    [InlineData("""{"c":"blue"}""", false)]
    [InlineData("""{"c":["blue","green"]}""", true)]
    [InlineData("""{"c":null}""", false)]
    public void Match_any(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"c","match":{"any":["red","green"]}}]}""", payload));

    [Theory]
    [InlineData("""{"c":"red"}""", false)]
    [InlineData("""{"c":"blue"}""", true)]
    [InlineData("""{"c":["black","green"]}""", true)] // one element outside the list is enough
    [InlineData("""{"c":["black","yellow"]}""", false)]
    [InlineData("""{"c":[]}""", false)]
    [InlineData("""{"c":null}""", false)]
    [InlineData("""{"c":true}""", true)] // another type is never in the list
    [InlineData("""{"other":1}""", false)] // missing
    public void Match_except(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"c","match":{"except":["black","yellow","red"]}}]}""", payload));

    [Theory]
    [InlineData("""{"p":10}""", true)]
    [InlineData("""{"p":5}""", false)]
    [InlineData("""{"p":5.5}""", true)]
    [InlineData("""{"p":20}""", false)]
    [InlineData("""{"p":[1,15]}""", true)]
    [InlineData("""{"p":"10"}""", false)]
    [InlineData("""{"q":10}""", false)]
    public void Range_on_numbers(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"p","range":{"gt":5,"lt":20}}]}""", payload));

    [Theory]
    [InlineData("""{"a":{"b":{"c":3}}}""", true)]
    [InlineData("""{"a":{"b":{"c":4}}}""", false)]
    [InlineData("""{"a":[{"b":{"c":3}}]}""", false)] // no implicit flattening, as in Qdrant
    public void Dotted_paths_reach_into_nested_objects(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"a.b.c","match":{"value":3}}]}""", payload));

    [Theory]
    [InlineData("""{"a":[{"b":1},{"b":2}]}""", true)]
    [InlineData("""{"a":[{"b":1},{"c":2}]}""", false)]
    [InlineData("""{"a":{"b":2}}""", false)]
    public void Array_projection_reaches_into_arrays_of_objects(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"a[].b","match":{"value":2}}]}""", payload));

    [Fact]
    public void Indexed_paths_and_quoted_keys_resolve()
    {
        Assert.True(Eval("""{"must":[{"key":"a[1].b","match":{"value":2}}]}""", """{"a":[{"b":1},{"b":2}]}"""));
        Assert.False(Eval("""{"must":[{"key":"a[0].b","match":{"value":2}}]}""", """{"a":[{"b":1},{"b":2}]}"""));
        Assert.True(Eval("""{"must":[{"key":"\"x.y\".z","match":{"value":"k"}}]}""", """{"x.y":{"z":"k"}}"""));
    }

    [Theory]
    [InlineData("""{"k":null}""", true, true)]
    [InlineData("""{"k":[]}""", true, false)]
    [InlineData("""{"k":[null]}""", false, false)]
    [InlineData("""{"k":{}}""", false, false)]
    [InlineData("""{"k":1}""", false, false)]
    [InlineData("""{"other":1}""", true, false)]
    [InlineData("none", true, false)]
    public void Is_empty_and_is_null_follow_qdrant(string payload, bool isEmpty, bool isNull)
    {
        Assert.Equal(isEmpty, Eval("""{"must":[{"is_empty":{"key":"k"}}]}""", payload));
        Assert.Equal(isNull, Eval("""{"must":[{"is_null":{"key":"k"}}]}""", payload));
    }

    [Theory]
    [InlineData("""{"k":[1,2,3]}""", true)]
    [InlineData("""{"k":[1]}""", false)]
    [InlineData("""{"k":5}""", false)]
    [InlineData("""{"other":5}""", false)]
    public void Values_count_counts_the_array(string payload, bool expected) =>
        Assert.Equal(expected, Eval("""{"must":[{"key":"k","values_count":{"gte":2}}]}""", payload));

    [Fact]
    public void Has_id_matches_numbers_and_uuids()
    {
        var uuid = Guid.NewGuid();
        var f = QdrantFilter.Parse($$"""{"must":[{"has_id":[1, 7, "{{uuid}}"]}]}""");
        Assert.True(f.Matches(PointId.FromNumber(7), null));
        Assert.True(f.Matches(PointId.FromUuid(uuid), null));
        Assert.False(f.Matches(PointId.FromNumber(2), null));
    }

    [Fact]
    public void Must_should_must_not_and_min_should_combine()
    {
        const string filter = """
            {
              "must": [{"key":"a","match":{"value":1}}],
              "should": [{"key":"b","match":{"value":1}}, {"key":"c","match":{"value":1}}],
              "must_not": [{"key":"d","match":{"value":1}}],
              "min_should": {"conditions": [{"key":"e","match":{"value":1}}, {"key":"f","match":{"value":1}}, {"key":"g","match":{"value":1}}], "min_count": 2}
            }
            """;
        Assert.True(Eval(filter, """{"a":1,"b":1,"e":1,"f":1}"""));
        Assert.False(Eval(filter, """{"a":2,"b":1,"e":1,"f":1}""")); // must fails
        Assert.False(Eval(filter, """{"a":1,"e":1,"f":1}""")); // no should
        Assert.False(Eval(filter, """{"a":1,"b":1,"d":1,"e":1,"f":1}""")); // must_not hits
        Assert.False(Eval(filter, """{"a":1,"c":1,"e":1}""")); // only 1 of min_should
    }

    [Fact]
    public void An_empty_should_list_matches_nothing_and_an_empty_filter_everything()
    {
        Assert.False(Eval("""{"should":[]}""", """{"a":1}"""));
        Assert.True(Eval("""{"must":[]}""", """{"a":1}"""));
        Assert.True(Eval("{}", """{"a":1}"""));
        Assert.True(Eval("""{"must":[{}]}""", """{"a":1}"""));
        Assert.True(Eval("""{"should":null}""", """{"a":1}"""));
    }

    [Fact]
    public void Nested_filters_and_single_condition_objects_are_conditions()
    {
        // NOT (a = 1 AND b = 1)
        const string filter = """{"must_not":[{"must":[{"key":"a","match":{"value":1}},{"key":"b","match":{"value":1}}]}], "must":{"key":"c","match":{"value":1}}}""";
        Assert.True(Eval(filter, """{"a":1,"b":2,"c":1}"""));
        Assert.False(Eval(filter, """{"a":1,"b":1,"c":1}"""));
        Assert.False(Eval(filter, """{"a":1,"b":2,"c":2}"""));
    }

    [Fact]
    public void Match_and_range_in_one_condition_hold_if_either_holds_as_in_qdrant()
    {
        const string filter = """{"must":[{"key":"x","match":{"value":100},"range":{"lt":5}}]}""";
        Assert.True(Eval(filter, """{"x":100}"""));
        Assert.True(Eval(filter, """{"x":1}"""));
        Assert.False(Eval(filter, """{"x":50}"""));
    }

    [Fact]
    public void The_field_form_of_is_empty_and_is_null_works()
    {
        Assert.True(Eval("""{"must":[{"key":"k","is_empty":true}]}""", """{"k":[]}"""));
        Assert.True(Eval("""{"must":[{"key":"k","is_null":true}]}""", """{"k":[null]}"""));
        Assert.False(Eval("""{"must":[{"key":"k","is_null":true}]}""", """{"x":1}"""));
    }

    [Theory]
    [InlineData("""{"must":[{"key":"a"}]}""", "filter.must[0]")]
    [InlineData("""{"must":[{"key":"a","match":{"value":1.5}}]}""", "filter.must[0].match.value")]
    [InlineData("""{"must":[{"key":"a","match":{"any":["x",1]}}]}""", "filter.must[0].match.any")]
    [InlineData("""{"must":[{"key":"a","match":{"value":"x","any":["y"]}}]}""", "filter.must[0].match")]
    [InlineData("""{"must":[{"key":"a","match":{"like":"x"}}]}""", "filter.must[0].match.like")]
    [InlineData("""{"must":[{"key":"a","range":{"gt":"x"}}]}""", "filter.must[0].range.gt")]
    [InlineData("""{"must":[{"key":"a","range":{"above":1}}]}""", "filter.must[0].range.above")]
    [InlineData("""{"must":[{"key":"a","mtach":{"value":1}}]}""", "filter.must[0].mtach")]
    [InlineData("""{"must":[{"key":"","match":{"value":1}}]}""", "filter.must[0].key")]
    [InlineData("""{"must":[{"key":"a..b","match":{"value":1}}]}""", "filter.must[0].key")]
    [InlineData("""{"must":[{"has_id":[-1]}]}""", "filter.must[0].has_id[0]")]
    [InlineData("""{"must":[{"is_empty":{}}]}""", "filter.must[0].is_empty.key")]
    [InlineData("""{"must":[{"frobnicate":{}}]}""", "filter.must[0].frobnicate")]
    [InlineData("""{"mustnt":[]}""", "filter.mustnt")]
    [InlineData("""{"must":5}""", "filter.must")]
    [InlineData("""{"min_should":{"conditions":[]}}""", "filter.min_should.min_count")]
    [InlineData("""[1]""", "filter")]
    public void Invalid_filters_are_clear_errors_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<FilterValidationException>(() => QdrantFilter.Parse(json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Filters_round_trip_through_their_json_form()
    {
        const string json = """{"must":[{"key":"a","match":{"any":[1,2]}},{"is_null":{"key":"n"}}],"should":[{"key":"b","range":{"gte":1.5}}],"must_not":[{"has_id":[3]}],"min_should":{"conditions":[{"key":"c","values_count":{"lt":3}}],"min_count":1}}""";
        var original = QdrantFilter.Parse(json);
        var again = QdrantFilter.Parse(QdrantFilter.ToJson(original));
        var rng = new Random(5);
        for (var i = 0; i < 300; i++)
        {
            var payload = JsonElement.Parse($$"""{"a":{{rng.Next(4)}},"b":{{rng.NextDouble() * 3}},"c":[{{string.Join(",", Enumerable.Range(0, rng.Next(5)))}}]{{(rng.Next(2) == 0 ? ",\"n\":null" : "")}}}""");
            var id = PointId.FromNumber((ulong)rng.Next(5));
            Assert.Equal(original.Matches(id, payload), again.Matches(id, payload));
        }
    }

    [Fact]
    public void Filters_built_in_code_match_like_parsed_ones()
    {
        var built = new Filter(
            must: [Condition.Match("city", "London"), Condition.Range("price", gte: 10, lt: 20)],
            mustNot: [Condition.HasId(PointId.FromNumber(3))]);
        Assert.True(built.Matches(PointId.FromNumber(1), JsonElement.Parse("""{"city":"London","price":10}""")));
        Assert.False(built.Matches(PointId.FromNumber(3), JsonElement.Parse("""{"city":"London","price":10}""")));
        Assert.False(built.Matches(PointId.FromNumber(1), JsonElement.Parse("""{"city":"London","price":20}""")));
    }
}
