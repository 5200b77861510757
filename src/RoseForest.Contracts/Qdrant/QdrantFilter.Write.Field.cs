using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantFilter
{
    private static void WriteFieldCondition(Utf8JsonWriter writer, FieldCondition f)
    {
        writer.WriteStartObject();
        writer.WriteString("key", f.Key.Text);
        if (f.MatchClause is { } match)
        {
            writer.WritePropertyName("match");
            WriteMatch(writer, match);
        }

        if (f.RangeClause is { } range)
        {
            WriteBounds(writer, "range", (range.Gt, range.Gte, range.Lt, range.Lte), (w, name, v) => w.WriteNumber(name, v));
        }

        if (f.DatetimeRangeClause is { } dates)
        {
            WriteBounds(writer, "range", (dates.Gt, dates.Gte, dates.Lt, dates.Lte), (w, name, t) => w.WriteString(name, t.ToString()));
        }

        if (f.GeoRadiusClause is { } radius)
        {
            writer.WriteStartObject("geo_radius");
            WriteGeoPoint(writer, "center", radius.Center);
            writer.WriteNumber("radius", radius.RadiusMeters);
            writer.WriteEndObject();
        }

        if (f.GeoBoundingBoxClause is { } box)
        {
            writer.WriteStartObject("geo_bounding_box");
            WriteGeoPoint(writer, "top_left", box.TopLeft);
            WriteGeoPoint(writer, "bottom_right", box.BottomRight);
            writer.WriteEndObject();
        }

        if (f.GeoPolygonClause is { } polygon)
        {
            writer.WriteStartObject("geo_polygon");
            WriteLineString(writer, "exterior", polygon.Exterior);
            if (polygon.Interiors is { } holes)
            {
                writer.WriteStartArray("interiors");
                foreach (var hole in holes)
                {
                    WriteLineString(writer, null, hole);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (f.ValuesCountRange is { } count)
        {
            // Counts are integers in Qdrant's schema; a fractional bound of a model-built range is
            // rounded the way that keeps the same counts (count > 1.5 is count > 1).
            WriteBounds(
                writer,
                "values_count",
                (Floor(count.Gt), Ceiling(count.Gte), Ceiling(count.Lt), Floor(count.Lte)),
                (w, name, n) => w.WriteNumber(name, n));
        }

        if (f.IsEmptyFlag is { } empty)
        {
            writer.WriteBoolean("is_empty", empty);
        }

        if (f.IsNullFlag is { } isNull)
        {
            writer.WriteBoolean("is_null", isNull);
        }

        writer.WriteEndObject();
    }

    private static void WriteMatch(Utf8JsonWriter writer, Match match)
    {
        writer.WriteStartObject();
        switch (match)
        {
            case MatchValue v:
                writer.WritePropertyName("value");
                WriteValue(writer, v.Value);
                break;
            case MatchAny any:
                WriteValues(writer, "any", any.Set);
                break;
            case MatchExcept except:
                WriteValues(writer, "except", except.Set);
                break;
            case MatchText text:
                writer.WriteString("text", text.Text);
                break;
            case MatchPhrase phrase:
                writer.WriteString("phrase", phrase.Text);
                break;
            case MatchTextAny textAny:
                writer.WriteString("text_any", textAny.Text);
                break;
            case MatchPrefix prefix:
                writer.WriteString("prefix", prefix.Prefix);
                break;
            default:
                throw new NotSupportedException($"no Qdrant JSON form for {match.GetType().Name}");
        }

        writer.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter writer, string name, IReadOnlyList<FilterValue> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            WriteValue(writer, v);
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, FilterValue value)
    {
        switch (value.Kind)
        {
            case FilterValueKind.Keyword:
                writer.WriteStringValue(value.KeywordValue);
                break;
            case FilterValueKind.Integer:
                writer.WriteNumberValue(value.IntegerValue);
                break;
            default:
                writer.WriteBooleanValue(value.BoolValue);
                break;
        }
    }

    /// <summary>An object of the bounds that are set, in Qdrant's order gt, gte, lt, lte.</summary>
    private static void WriteBounds<T>(Utf8JsonWriter writer, string name, (T? Gt, T? Gte, T? Lt, T? Lte) bounds, Action<Utf8JsonWriter, string, T> write)
        where T : struct
    {
        writer.WriteStartObject(name);
        if (bounds.Gt is { } gt)
        {
            write(writer, "gt", gt);
        }

        if (bounds.Gte is { } gte)
        {
            write(writer, "gte", gte);
        }

        if (bounds.Lt is { } lt)
        {
            write(writer, "lt", lt);
        }

        if (bounds.Lte is { } lte)
        {
            write(writer, "lte", lte);
        }

        writer.WriteEndObject();
    }

    private static long? Floor(double? v) => v is { } x ? (long)Math.Floor(x) : null;

    private static long? Ceiling(double? v) => v is { } x ? (long)Math.Ceiling(x) : null;

    internal static void WriteGeoPoint(Utf8JsonWriter writer, string? name, GeoPoint point)
    {
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }

        writer.WriteNumber("lon", point.Lon);
        writer.WriteNumber("lat", point.Lat);
        writer.WriteEndObject();
    }

    private static void WriteLineString(Utf8JsonWriter writer, string? name, IReadOnlyList<GeoPoint> points)
    {
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }

        writer.WriteStartArray("points");
        foreach (var p in points)
        {
            WriteGeoPoint(writer, null, p);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
