using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantFilter
{
    /// <summary>The filter as Qdrant JSON text.</summary>
    public static string ToJson(Filter filter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, filter);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the filter as Qdrant JSON.</summary>
    public static void Write(Utf8JsonWriter writer, Filter filter)
    {
        writer.WriteStartObject();
        WriteList(writer, "must", filter.Must);
        if (filter.Should is not null)
        {
            WriteList(writer, "should", filter.Should, always: true);
        }

        WriteList(writer, "must_not", filter.MustNot);
        if (filter.MinShould is { } ms)
        {
            writer.WriteStartObject("min_should");
            WriteList(writer, "conditions", ms.Conditions, always: true);
            writer.WriteNumber("min_count", ms.MinCount);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<Condition> conditions, bool always = false)
    {
        if (conditions.Count == 0 && !always)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var c in conditions)
        {
            WriteCondition(writer, c);
        }

        writer.WriteEndArray();
    }

    private static void WriteCondition(Utf8JsonWriter writer, Condition condition)
    {
        switch (condition)
        {
            case FieldCondition f:
                writer.WriteStartObject();
                writer.WriteString("key", f.Key.Text);
                if (f.MatchClause is { } match)
                {
                    writer.WritePropertyName("match");
                    WriteMatch(writer, match);
                }

                if (f.RangeClause is { } range)
                {
                    writer.WritePropertyName("range");
                    WriteRange(writer, range);
                }

                if (f.ValuesCountRange is { } count)
                {
                    writer.WritePropertyName("values_count");
                    WriteRange(writer, count);
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
                break;
            case IsEmptyCondition e:
                WriteKeyCondition(writer, "is_empty", e.Key.Text);
                break;
            case IsNullCondition n:
                WriteKeyCondition(writer, "is_null", n.Key.Text);
                break;
            case HasIdCondition h:
                writer.WriteStartObject();
                writer.WriteStartArray("has_id");
                foreach (var id in h.Ids.Order())
                {
                    id.WriteTo(writer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case FilterCondition nested:
                Write(writer, nested.Filter);
                break;
            default:
                throw new NotSupportedException($"no Qdrant JSON form for {condition.GetType().Name}");
        }
    }

    private static void WriteKeyCondition(Utf8JsonWriter writer, string name, string key)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(name);
        writer.WriteString("key", key);
        writer.WriteEndObject();
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

    private static void WriteRange(Utf8JsonWriter writer, NumericRange range)
    {
        writer.WriteStartObject();
        WriteBound(writer, "gt", range.Gt);
        WriteBound(writer, "gte", range.Gte);
        WriteBound(writer, "lt", range.Lt);
        WriteBound(writer, "lte", range.Lte);
        writer.WriteEndObject();
    }

    private static void WriteBound(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
