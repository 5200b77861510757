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
            writer.WriteStartObject("range");
            WriteBound(writer, "gt", range.Gt);
            WriteBound(writer, "gte", range.Gte);
            WriteBound(writer, "lt", range.Lt);
            WriteBound(writer, "lte", range.Lte);
            writer.WriteEndObject();
        }

        if (f.DatetimeRangeClause is { } dates)
        {
            writer.WriteStartObject("range");
            WriteBound(writer, "gt", dates.Gt);
            WriteBound(writer, "gte", dates.Gte);
            WriteBound(writer, "lt", dates.Lt);
            WriteBound(writer, "lte", dates.Lte);
            writer.WriteEndObject();
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
            writer.WriteStartObject("values_count");
            WriteCount(writer, "gt", count.Gt, Math.Floor);
            WriteCount(writer, "gte", count.Gte, Math.Ceiling);
            WriteCount(writer, "lt", count.Lt, Math.Ceiling);
            WriteCount(writer, "lte", count.Lte, Math.Floor);
            writer.WriteEndObject();
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

    private static void WriteBound(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteBound(Utf8JsonWriter writer, string name, FilterDateTime? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v.ToString());
        }
    }

    /// <summary>
    /// values_count bounds are integers in Qdrant's schema; a fractional bound of a model-built
    /// range is rounded the way that keeps the same counts (count &gt; 1.5 is count &gt; 1).
    /// </summary>
    private static void WriteCount(Utf8JsonWriter writer, string name, double? value, Func<double, double> round)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, (long)round(v));
        }
    }

    private static void WriteGeoPoint(Utf8JsonWriter writer, string? name, GeoPoint point)
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
