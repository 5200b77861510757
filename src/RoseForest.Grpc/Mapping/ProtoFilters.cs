using System.Buffers;
using System.Text.Json;
using Google.Protobuf.Collections;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>
/// Qdrant's protobuf Filter into the filter model. The message has the same structure as the REST
/// filter, so it is written out as that JSON and read by <see cref="QdrantFilter"/>: one reader,
/// so a filter means the same and is refused with the same message (naming the same field) through
/// either door. Filters are small; the hot parts of a request (vectors, ids) are mapped directly.
/// </summary>
internal static class ProtoFilters
{
    /// <summary>The filter, or null when absent (an empty filter matches everything, as in Qdrant).</summary>
    public static Filter? ToFilter(G.Filter? filter, string field = "filter")
    {
        if (filter is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteFilter(w, filter, 0);
        }

        return QdrantFilter.Read(JsonElement.Parse(buffer.WrittenSpan), field);
    }

    private static void WriteFilter(Utf8JsonWriter w, G.Filter f, int depth)
    {
        if (depth > 64)
        {
            throw new FilterValidationException("filter", "filters nest at most 64 deep.");
        }

        w.WriteStartObject();
        WriteConditions(w, "must", f.Must, depth);
        WriteConditions(w, "should", f.Should, depth);
        WriteConditions(w, "must_not", f.MustNot, depth);
        if (f.MinShould is { } ms)
        {
            w.WriteStartObject("min_should");
            WriteConditions(w, "conditions", ms.Conditions, depth, always: true);
            w.WriteNumber("min_count", ms.MinCount);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter w, string name, RepeatedField<G.Condition> conditions, int depth, bool always = false)
    {
        if (conditions.Count == 0 && !always)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var c in conditions)
        {
            WriteCondition(w, c, depth);
        }

        w.WriteEndArray();
    }

    internal static void WriteCondition(Utf8JsonWriter w, G.Condition c, int depth)
    {
        switch (c.ConditionOneOfCase)
        {
            case G.Condition.ConditionOneOfOneofCase.Field:
                WriteField(w, c.Field);
                return;
            case G.Condition.ConditionOneOfOneofCase.Filter:
                WriteFilter(w, c.Filter, depth + 1);
                return;
        }

        w.WriteStartObject();
        switch (c.ConditionOneOfCase)
        {
            case G.Condition.ConditionOneOfOneofCase.IsEmpty:
                w.WriteStartObject("is_empty");
                w.WriteString("key", c.IsEmpty.Key);
                w.WriteEndObject();
                break;
            case G.Condition.ConditionOneOfOneofCase.IsNull:
                w.WriteStartObject("is_null");
                w.WriteString("key", c.IsNull.Key);
                w.WriteEndObject();
                break;
            case G.Condition.ConditionOneOfOneofCase.HasId:
                w.WriteStartArray("has_id");
                foreach (var id in c.HasId.HasId)
                {
                    ProtoValues.ToPointId(id, "filter.has_id").WriteTo(w);
                }

                w.WriteEndArray();
                break;
            case G.Condition.ConditionOneOfOneofCase.HasVector:
                w.WriteString("has_vector", c.HasVector.HasVector);
                break;
            case G.Condition.ConditionOneOfOneofCase.Nested:
                w.WriteStartObject("nested");
                w.WriteString("key", c.Nested.Key);
                w.WritePropertyName("filter");
                WriteFilter(w, c.Nested.Filter ?? new G.Filter(), depth + 1);
                w.WriteEndObject();
                break;
            case G.Condition.ConditionOneOfOneofCase.Slice:
                w.WriteStartObject("slice");
                w.WriteNumber("total", c.Slice.Total);
                w.WriteNumber("index", c.Slice.Index);
                w.WriteEndObject();
                break;
            default:
                // An empty Condition: a condition object with nothing in it, which the reader refuses by name.
                w.WriteNull("condition");
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter w, G.FieldCondition f)
    {
        w.WriteStartObject();
        w.WriteString("key", f.Key);
        if (f.Match is { } m)
        {
            w.WriteStartObject("match");
            switch (m.MatchValueCase)
            {
                case G.Match.MatchValueOneofCase.Keyword:
                    w.WriteString("value", m.Keyword);
                    break;
                case G.Match.MatchValueOneofCase.Integer:
                    w.WriteNumber("value", m.Integer);
                    break;
                case G.Match.MatchValueOneofCase.Boolean:
                    w.WriteBoolean("value", m.Boolean);
                    break;
                case G.Match.MatchValueOneofCase.Text:
                    w.WriteString("text", m.Text);
                    break;
                case G.Match.MatchValueOneofCase.Phrase:
                    w.WriteString("phrase", m.Phrase);
                    break;
                case G.Match.MatchValueOneofCase.TextAny:
                    w.WriteString("text_any", m.TextAny);
                    break;
                case G.Match.MatchValueOneofCase.Prefix:
                    w.WriteString("prefix", m.Prefix);
                    break;
                case G.Match.MatchValueOneofCase.Keywords:
                    WriteStrings(w, "any", m.Keywords.Strings);
                    break;
                case G.Match.MatchValueOneofCase.ExceptKeywords:
                    WriteStrings(w, "except", m.ExceptKeywords.Strings);
                    break;
                case G.Match.MatchValueOneofCase.Integers:
                    WriteIntegers(w, "any", m.Integers.Integers);
                    break;
                case G.Match.MatchValueOneofCase.ExceptIntegers:
                    WriteIntegers(w, "except", m.ExceptIntegers.Integers);
                    break;
            }

            w.WriteEndObject();
        }

        if (f.Range is { } r)
        {
            w.WriteStartObject("range");
            WriteBound(w, "gt", r.HasGt ? r.Gt : null);
            WriteBound(w, "gte", r.HasGte ? r.Gte : null);
            WriteBound(w, "lt", r.HasLt ? r.Lt : null);
            WriteBound(w, "lte", r.HasLte ? r.Lte : null);
            w.WriteEndObject();
        }
        else if (f.DatetimeRange is { } d)
        {
            w.WriteStartObject("range");
            WriteTime(w, "gt", d.Gt);
            WriteTime(w, "gte", d.Gte);
            WriteTime(w, "lt", d.Lt);
            WriteTime(w, "lte", d.Lte);
            w.WriteEndObject();
        }

        if (f.ValuesCount is { } vc)
        {
            w.WriteStartObject("values_count");
            WriteCount(w, "gt", vc.HasGt ? vc.Gt : null);
            WriteCount(w, "gte", vc.HasGte ? vc.Gte : null);
            WriteCount(w, "lt", vc.HasLt ? vc.Lt : null);
            WriteCount(w, "lte", vc.HasLte ? vc.Lte : null);
            w.WriteEndObject();
        }

        if (f.GeoRadius is { } gr)
        {
            w.WriteStartObject("geo_radius");
            WriteGeoPoint(w, "center", gr.Center);
            w.WriteNumber("radius", gr.Radius);
            w.WriteEndObject();
        }

        if (f.GeoBoundingBox is { } gb)
        {
            w.WriteStartObject("geo_bounding_box");
            WriteGeoPoint(w, "top_left", gb.TopLeft);
            WriteGeoPoint(w, "bottom_right", gb.BottomRight);
            w.WriteEndObject();
        }

        if (f.GeoPolygon is { } gp)
        {
            w.WriteStartObject("geo_polygon");
            w.WritePropertyName("exterior");
            WriteLine(w, gp.Exterior);
            w.WriteStartArray("interiors");
            foreach (var ring in gp.Interiors)
            {
                WriteLine(w, ring);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (f.HasIsEmpty)
        {
            w.WriteBoolean("is_empty", f.IsEmpty);
        }

        if (f.HasIsNull)
        {
            w.WriteBoolean("is_null", f.IsNull);
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, RepeatedField<string> values)
    {
        w.WriteStartArray(name);
        foreach (var s in values)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
    }

    private static void WriteIntegers(Utf8JsonWriter w, string name, RepeatedField<long> values)
    {
        w.WriteStartArray(name);
        foreach (var n in values)
        {
            w.WriteNumberValue(n);
        }

        w.WriteEndArray();
    }

    private static void WriteBound(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            if (!double.IsFinite(v))
            {
                throw new FilterValidationException($"filter.range.{name}", "must be a finite number.");
            }

            w.WriteNumber(name, v);
        }
    }

    private static void WriteCount(Utf8JsonWriter w, string name, ulong? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteTime(Utf8JsonWriter w, string name, Google.Protobuf.WellKnownTypes.Timestamp? t)
    {
        if (t is not null)
        {
            w.WriteString(name, t.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static void WriteGeoPoint(Utf8JsonWriter w, string name, G.GeoPoint? p)
    {
        if (p is null)
        {
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("lon", p.Lon);
        w.WriteNumber("lat", p.Lat);
        w.WriteEndObject();
    }

    private static void WriteLine(Utf8JsonWriter w, G.GeoLineString? line)
    {
        w.WriteStartObject();
        w.WriteStartArray("points");
        foreach (var p in line?.Points ?? [])
        {
            w.WriteStartObject();
            w.WriteNumber("lon", p.Lon);
            w.WriteNumber("lat", p.Lat);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
