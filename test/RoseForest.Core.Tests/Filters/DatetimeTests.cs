using RoseForest.Core.Filters;
using static RoseForest.Core.Tests.Filters.FilterAssert;

namespace RoseForest.Core.Tests.Filters;

/// <summary>
/// Datetime parsing and ranges, with the cases of Qdrant's lib/segment/src/types.rs tests
/// (test_datetime_deserialization, test_datetime_deserialization_equivalency,
/// test_timezone_ordering, test_datetime_wrapper_transcoding) and query_checker.rs
/// (shipped_in_february / shipped_in_march).
/// </summary>
public class DatetimeTests
{
    private static FilterDateTime At(string text) => FilterDateTime.Parse(text);

    private static readonly DateTimeOffset March1 = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2020-03-01T00:00:00Z", 0)]
    [InlineData("2020-03-01T00:00:00-09:00", 9 * 3600)]
    [InlineData("2020-03-01 00:00:00-0900", 9 * 3600)]
    [InlineData("2020-03-01T00:00:00-0900", 9 * 3600)]
    [InlineData("2020-03-01 00:00:00-09", 9 * 3600)]
    [InlineData("2020-03-01T00:00:00.123456Z", 0)]
    [InlineData("2020-03-01T00:00:00", 0)]
    [InlineData("2020-03-01T00:00:00.12", 0)]
    [InlineData("2020-03-01 00:00:00", 0)]
    [InlineData("2020-03-01 00:00:00.123456", 0)]
    [InlineData("2020-03-01T00:00", 0)]
    [InlineData("2020-03-01 00:00", 0)]
    [InlineData("2020-03-01", 0)]
    [InlineData("2020-03-01t00:00:00z", 0)]
    [InlineData("2020-03-01 00:00:00 UTC", 0)]
    [InlineData("2020-3-1T0:0:0+00:00", 0)]
    [InlineData("2020-03-01 00:00:00 -09", 9 * 3600)]
    [InlineData("2020-03-01T00:00:00 +09:00 ", -9 * 3600)]
    public void Every_form_qdrant_accepts_parses(string text, int secondsAfterMidnightUtc)
    {
        var parsed = At(text);
        Assert.Equal(March1.ToUnixTimeSeconds() + secondsAfterMidnightUtc, parsed.UnixSeconds);
    }

    [Theory]
    [InlineData("2014-01-01T00:00:00BAD")]
    [InlineData("2020-02-30")]
    [InlineData("2020-13-01T00:00:00Z")]
    [InlineData("2020-03-01T24:00:00Z")]
    [InlineData("2020-03-01T00:00Z")] // a zone needs seconds
    [InlineData("2020-03-01t00:00:00")] // lowercase t only with a zone
    [InlineData("2020-03-01T00:00:00.Z")]
    [InlineData("2020-03-01T00:00:00+24:00")]
    [InlineData("2020-03-01 00:00:00-09 ")] // an hours-only offset (chrono's %#z) takes no trailing space
    [InlineData("20-03-01")]
    [InlineData("2020-03-01T")]
    [InlineData("")]
    [InlineData("1583020800")]
    [InlineData("2020-03-01T00:00:00Z trailing")]
    public void Other_text_is_not_a_datetime(string text) => Assert.False(FilterDateTime.TryParse(text, out _));

    [Fact]
    public void Fractions_and_zones_are_compared_as_instants()
    {
        Assert.Equal(At("2020-03-01T01:02:03.123456Z"), At("2020-03-01T01:02:03.123456"));
        Assert.Equal(At("2020-03-01T10:00:00+02:00"), At("2020-03-01T08:00:00Z"));
        Assert.Equal(123_456_789, At("2020-03-01T00:00:00.123456789999Z").Nanoseconds); // digits past nine are ignored
        Assert.True(At("2020-03-01T00:00:00.000000001Z") > At("2020-03-01T00:00:00Z"));
    }

    [Fact]
    public void Qdrant_timezone_ordering_cases_sort_in_order()
    {
        string[] texts = ["2000-06-08 00:18:53+0900", "2000-06-07 07:25:34-1100", "2000-07-10T00:18:53+0100", "2000-07-11 00:25:34-01:00", "2000-07-11 00:25:35-01"];
        var parsed = texts.Select(At).ToArray();
        for (var i = 1; i < parsed.Length; i++)
        {
            Assert.True(parsed[i - 1] < parsed[i], $"{texts[i - 1]} should come before {texts[i]}");
        }
    }

    [Theory]
    [InlineData("2024-06-15T12:30:45Z")]
    [InlineData("1969-12-31T23:59:59.999999999Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.5Z")]
    [InlineData("2016-12-31T23:59:60Z")]
    public void The_written_form_parses_back_to_the_same_instant(string text)
    {
        var t = At(text);
        Assert.Equal(text, t.ToString());
        Assert.Equal(t, At(t.ToString()));
    }

    [Fact]
    public void A_leap_second_sorts_between_the_last_second_and_the_next_minute()
    {
        var leap = At("2016-12-31T23:59:60.5Z");
        Assert.True(leap > At("2016-12-31T23:59:59.999999999Z"));
        Assert.True(leap < At("2017-01-01T00:00:00Z"));
    }

    [Fact]
    public void Date_time_offsets_convert_to_the_same_instant() =>
        Assert.Equal(At("2021-05-06T07:08:09.1234567+02:00"), FilterDateTime.FromDateTimeOffset(new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567)));

    [Theory]
    [InlineData("""{"shipped_at":"2020-02-15T00:00:00Z"}""", true, false)]
    [InlineData("""{"shipped_at":"2020-02-15"}""", true, false)]
    [InlineData("""{"shipped_at":"2020-03-01T00:00:00Z"}""", false, true)] // lt is exclusive, gte inclusive
    [InlineData("""{"shipped_at":"2020-03-01T00:30:00+01:00"}""", true, false)] // 23:30 UTC on Feb 29
    [InlineData("""{"shipped_at":["1999-01-01","2020-03-15"]}""", false, true)]
    [InlineData("""{"shipped_at":1582761600}""", false, false)] // a number is not a datetime
    [InlineData("""{"shipped_at":"soon"}""", false, false)]
    [InlineData("""{"shipped_at":"2020\u002D02-15"}""", true, false)] // an escaped string is read too
    public void Datetime_ranges_match_shipping_months(string payload, bool february, bool march)
    {
        var inFebruary = Condition.Range("shipped_at", new DatetimeRange(Gte: At("2020-02-01T00:00:00Z"), Lt: At("2020-03-01T00:00:00Z")));
        var inMarch = Condition.Range("shipped_at", new DatetimeRange(Gte: At("2020-03-01T00:00:00Z"), Lt: At("2020-04-01T00:00:00Z")));
        Assert.Equal(february, Holds(inFebruary, payload));
        Assert.Equal(march, Holds(inMarch, payload));
    }
}
