using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Tests.Filters;

/// <summary>
/// The JSON forms of the conditions added for Qdrant 1.19 (shapes from docs/redoc/master/openapi.json
/// and the filtering docs' examples), and the errors for malformed ones, each naming its field.
/// </summary>
public class FilterParsingTests
{
    private static bool Eval(string filter, string payload, ulong id = 1) =>
        QdrantFilter.Parse(filter).Matches(PointId.FromNumber(id), JsonElement.Parse(payload));

    [Fact]
    public void Geo_radius_from_the_docs()
    {
        const string filter = """{"must":[{"key":"location","geo_radius":{"center":{"lon":13.403683,"lat":52.520711},"radius":1000.0}}]}""";
        Assert.True(Eval(filter, """{"location":{"lon":13.41,"lat":52.52}}""")); // about 430 m away
        Assert.False(Eval(filter, """{"location":{"lon":13.45,"lat":52.52}}""")); // about 3 km away
    }

    [Fact]
    public void Geo_bounding_box_from_the_docs()
    {
        const string filter = """{"must":[{"key":"location","geo_bounding_box":{"bottom_right":{"lon":13.455868,"lat":52.495862},"top_left":{"lon":13.403683,"lat":52.520711}}}]}""";
        Assert.True(Eval(filter, """{"location":{"lon":13.43,"lat":52.51}}"""));
        Assert.False(Eval(filter, """{"location":{"lon":13.43,"lat":52.53}}"""));
    }

    [Fact]
    public void Geo_polygon_with_a_hole_from_the_docs()
    {
        const string filter = """
            {"must":[{"key":"location","geo_polygon":{
              "exterior":{"points":[{"lon":-70.0,"lat":-70.0},{"lon":60.0,"lat":-70.0},{"lon":60.0,"lat":60.0},{"lon":-70.0,"lat":60.0},{"lon":-70.0,"lat":-70.0}]},
              "interiors":[{"points":[{"lon":-65.0,"lat":-65.0},{"lon":0.0,"lat":-65.0},{"lon":0.0,"lat":0.0},{"lon":-65.0,"lat":0.0},{"lon":-65.0,"lat":-65.0}]}]}}]}
            """;
        Assert.True(Eval(filter, """{"location":{"lon":30,"lat":30}}"""));
        Assert.False(Eval(filter, """{"location":{"lon":-30,"lat":-30}}""")); // in the hole
        Assert.False(Eval(filter, """{"location":{"lon":70,"lat":0}}"""));
    }

    [Fact]
    public void Datetime_range_from_the_docs()
    {
        const string filter = """{"must":[{"key":"date","range":{"gt":"2023-02-08T10:49:00Z","gte":null,"lt":null,"lte":"2024-01-31 10:14:31Z"}}]}""";
        Assert.True(Eval(filter, """{"date":"2023-06-01"}"""));
        Assert.True(Eval(filter, """{"date":"2024-01-31T10:14:31Z"}""")); // lte is inclusive
        Assert.False(Eval(filter, """{"date":"2023-02-08T10:49:00Z"}""")); // gt is exclusive
        Assert.False(Eval(filter, """{"date":"2024-01-31T12:14:31+01:00"}"""));
    }

    [Fact]
    public void A_range_with_only_numbers_stays_numeric() =>
        Assert.True(Eval("""{"must":[{"key":"price","range":{"gte":1.5,"lt":null}}]}""", """{"price":2}"""));

    [Fact]
    public void Full_text_conditions_parse()
    {
        Assert.True(Eval("""{"must":[{"key":"d","match":{"text":"good cheap"}}]}""", """{"d":"Cheap and GOOD"}"""));
        Assert.True(Eval("""{"must":[{"key":"d","match":{"phrase":"time machine"}}]}""", """{"d":"The Time Machine"}"""));
        Assert.False(Eval("""{"must":[{"key":"d","match":{"phrase":"machine time"}}]}""", """{"d":"The Time Machine"}"""));
        Assert.True(Eval("""{"must":[{"key":"d","match":{"text_any":"good cheap"}}]}""", """{"d":"cheap hardware"}"""));
        Assert.True(Eval("""{"must":[{"key":"d","match":{"prefix":"ORD2026"}}]}""", """{"d":"ORD20260921ABCD"}"""));
    }

    [Fact]
    public void Nested_has_vector_slice_and_min_should_parse()
    {
        Assert.True(Eval("""{"must":[{"nested":{"key":"diet","filter":{"must":[{"key":"food","match":{"value":"meat"}},{"key":"likes","match":{"value":true}}]}}}]}""",
            """{"diet":[{"food":"leaves","likes":false},{"food":"meat","likes":true}]}"""));
        Assert.True(Eval("""{"must":[{"has_vector":""}]}""", "{}"));
        Assert.False(Eval("""{"must":[{"has_vector":"image"}]}""", "{}"));
        Assert.True(Eval("""{"must":[{"slice":{"total":1,"index":0}}]}""", "{}"));
        Assert.True(Eval("""{"min_should":{"conditions":[{"key":"a","match":{"value":1}},{"key":"b","match":{"value":1}}],"min_count":1}}""", """{"b":1}"""));
        Assert.True(Eval("""{"must":[{"key":"k","values_count":{"lt":1}}]}""", """{"other":1}""")); // a missing field counts 0
    }

    [Theory]
    [InlineData("""{"must":[{"key":"l","match":{"value":1}},{"key":"l","geo_radius":{"center":{"lon":0,"lat":0},"radius":"far"}}]}""", "filter.must[1].geo_radius.radius")]
    [InlineData("""{"must":[{"key":"l","geo_radius":{"center":{"lon":0,"lat":0}}}]}""", "filter.must[0].geo_radius.radius")]
    [InlineData("""{"must":[{"key":"l","geo_radius":{"center":{"lon":181,"lat":0},"radius":1}}]}""", "filter.must[0].geo_radius.center.lon")]
    [InlineData("""{"must":[{"key":"l","geo_radius":{"center":{"lon":0,"lat":-90.5},"radius":1}}]}""", "filter.must[0].geo_radius.center.lat")]
    [InlineData("""{"must":[{"key":"l","geo_radius":{"center":{"lon":0},"radius":1}}]}""", "filter.must[0].geo_radius.center.lat")]
    [InlineData("""{"must":[{"key":"l","geo_radius":{"center":{"lon":0,"lat":0,"alt":1},"radius":1}}]}""", "filter.must[0].geo_radius.center.alt")]
    [InlineData("""{"must":[{"key":"l","geo_bounding_box":{"top_left":{"lon":0,"lat":1},"top_right":{"lon":1,"lat":0}}}]}""", "filter.must[0].geo_bounding_box.top_right")]
    [InlineData("""{"must":[{"key":"l","geo_bounding_box":{"top_left":{"lon":0,"lat":1}}}]}""", "filter.must[0].geo_bounding_box.bottom_right")]
    [InlineData("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":0,"lat":0}]}}}]}""", "filter.must[0].geo_polygon.exterior.points")]
    [InlineData("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":1},{"lon":0,"lat":1}]}}}]}""", "filter.must[0].geo_polygon.exterior.points")]
    [InlineData("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":1},{"lon":0,"lat":0}]},"interiors":[{"points":[]}]}}]}""", "filter.must[0].geo_polygon.interiors[0].points")]
    [InlineData("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":91},{"lon":0,"lat":0}]}}}]}""", "filter.must[0].geo_polygon.exterior.points[2].lat")]
    [InlineData("""{"must":[{"key":"l","geo_polygon":{}}]}""", "filter.must[0].geo_polygon.exterior")]
    [InlineData("""{"must":[{"key":"d","range":{"gte":"2014-01-01T00:00:00BAD"}}]}""", "filter.must[0].range.gte")]
    [InlineData("""{"must":[{"key":"d","range":{"gte":"2014-01-01","lt":5}}]}""", "filter.must[0].range.lt")]
    [InlineData("""{"must":[{"key":"d","match":{"text":5}}]}""", "filter.must[0].match.text")]
    [InlineData("""{"must":[{"key":"d","match":{"phrase":null}}]}""", "filter.must[0].match.phrase")]
    [InlineData("""{"must":[{"key":"d","match":{"text":"a","prefix":"b"}}]}""", "filter.must[0].match")]
    [InlineData("""{"must":[{"key":"d","values_count":{"gt":-1}}]}""", "filter.must[0].values_count.gt")]
    [InlineData("""{"must":[{"key":"d","values_count":{"lte":1.5}}]}""", "filter.must[0].values_count.lte")]
    [InlineData("""{"must":[{"nested":{"key":"n"}}]}""", "filter.must[0].nested.filter")]
    [InlineData("""{"must":[{"nested":{"filter":{}}}]}""", "filter.must[0].nested.key")]
    [InlineData("""{"must":[{"nested":{"key":"n","filter":{},"extra":1}}]}""", "filter.must[0].nested.extra")]
    [InlineData("""{"must":[{"nested":{"key":"n","filter":{"must":[{"key":"x","mtach":{"value":1}}]}}}]}""", "filter.must[0].nested.filter.must[0].mtach")]
    [InlineData("""{"should":[{"nested":{"key":"a..b","filter":{}}}]}""", "filter.should[0].nested.key")]
    [InlineData("""{"must":[{"has_vector":1}]}""", "filter.must[0].has_vector")]
    [InlineData("""{"must":[{"slice":{"total":4,"index":4}}]}""", "filter.must[0].slice.index")]
    [InlineData("""{"must":[{"slice":{"total":0,"index":0}}]}""", "filter.must[0].slice.total")]
    [InlineData("""{"must":[{"slice":{"total":2}}]}""", "filter.must[0].slice.index")]
    [InlineData("""{"must":[{"slice":{"total":2,"index":-1}}]}""", "filter.must[0].slice.index")]
    [InlineData("""{"min_should":{"conditions":[],"min_count":0}}""", "filter.min_should.min_count")]
    [InlineData("""{"must_not":[{"must":[{"key":"l","geo_bounding_box":{"top_left":{"lon":-181,"lat":1},"bottom_right":{"lon":1,"lat":0}}}]}]}""", "filter.must_not[0].must[0].geo_bounding_box.top_left.lon")]
    public void Malformed_conditions_name_the_field(string json, string field)
    {
        var e = Assert.Throws<FilterValidationException>(() => QdrantFilter.Parse(json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void The_datetime_error_says_what_is_accepted()
    {
        var e = Assert.Throws<FilterValidationException>(() => QdrantFilter.Parse("""{"must":[{"key":"d","range":{"gte":"2014-01-01T00:00:00BAD"}}]}"""));
        Assert.Contains("RFC3339", e.Message, StringComparison.Ordinal);
        Assert.Contains("2014-01-01T00:00:00BAD", e.Message, StringComparison.Ordinal);
        Assert.Contains("Example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_built_in_code_write_qdrant_json()
    {
        var filter = new Filter(
            must: [Condition.Text("d", "good cheap"), Condition.Nested("n", Filter.Where(Condition.HasVector("img")))],
            should: [Condition.Range("t", new DatetimeRange(Gte: FilterDateTime.Parse("2020-01-01")))],
            mustNot: [Condition.Slice(3, 1), Condition.ValuesCount("v", gt: 2)]);
        Assert.Equal(
            """{"must":[{"key":"d","match":{"text":"good cheap"}},{"nested":{"key":"n","filter":{"must":[{"has_vector":"img"}]}}}],"should":[{"key":"t","range":{"gte":"2020-01-01T00:00:00Z"}}],"must_not":[{"slice":{"total":3,"index":1}},{"key":"v","values_count":{"gt":2}}]}""",
            QdrantFilter.ToJson(filter));
    }
}
