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

    internal static void WriteCondition(Utf8JsonWriter writer, Condition condition)
    {
        switch (condition)
        {
            case FieldCondition f:
                WriteFieldCondition(writer, f);
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
            case HasVectorCondition v:
                writer.WriteStartObject();
                writer.WriteString("has_vector", v.VectorName);
                writer.WriteEndObject();
                break;
            case NestedCondition nested:
                writer.WriteStartObject();
                writer.WriteStartObject("nested");
                writer.WriteString("key", nested.Key.Text);
                writer.WritePropertyName("filter");
                Write(writer, nested.Filter);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case SliceCondition slice:
                writer.WriteStartObject();
                writer.WriteStartObject("slice");
                writer.WriteNumber("total", slice.Total);
                writer.WriteNumber("index", slice.Index);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case FilterCondition inner:
                Write(writer, inner.Filter);
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
}
