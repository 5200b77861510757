using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;
using StoredVector = RoseForest.Contracts.VectorData;

namespace RoseForest.VectorData.Internal;

/// <summary>
/// A record ↔ a point: the key is the point id; each data property is a payload key (its storage
/// name) written with System.Text.Json, null values written as JSON null so <c>== null</c> filters
/// find them; each vector property a named dense vector (its storage name) or, with one vector
/// and no named vectors, the unnamed vector.
/// </summary>
internal sealed class RecordMapper(CollectionModel model, bool namedVectors)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public CollectionModel Model => model;

    public bool NamedVectors => namedVectors;

    /// <summary>The point for a record; <paramref name="generated"/> holds, per vector property, the embeddings generated for the batch (or null).</summary>
    public PointStruct ToPoint(object record, int index, IReadOnlyList<Embedding>?[]? generated)
    {
        var id = Keys.ToPointId(model.KeyProperty.GetValueAsObject(record));
        var payload = WritePayload(record);
        float[]? unnamed = null;
        Dictionary<string, StoredVector>? named = null;
        for (var i = 0; i < model.VectorProperties.Count; i++)
        {
            var property = model.VectorProperties[i];
            var vector = generated?[i] is { } embeddings
                ? ToArray(((Embedding<float>)embeddings[index]).Vector)
                : ToArray(property.GetValueAsObject(record), property);
            if (vector is null)
            {
                continue;
            }

            if (namedVectors)
            {
                (named ??= new(StringComparer.Ordinal))[property.StorageName] = new DenseVector(vector);
            }
            else
            {
                unnamed = vector;
            }
        }

        return new PointStruct(id, unnamed, payload) { Vectors = named };
    }

    /// <summary>A record from a stored point.</summary>
    public TRecord ToRecord<TRecord>(PointId id, JsonElement? payload, float[]? unnamed, IReadOnlyDictionary<string, StoredVector>? vectors, bool includeVectors)
    {
        var record = model.CreateRecord<TRecord>()!;
        var key = model.KeyProperty;
        key.SetValueAsObject(record, Keys.FromPointId(id, key.Type == typeof(object) ? (id.IsUuid ? typeof(Guid) : typeof(ulong)) : key.Type));
        foreach (var property in model.DataProperties)
        {
            object? value = null;
            if (payload is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(property.StorageName, out var element) && element.ValueKind != JsonValueKind.Null)
            {
                value = element.Deserialize(property.Type, Json);
            }

            if (value is not null || property.PropertyInfo is null || property.IsNullable)
            {
                property.SetValueAsObject(record, value);
            }
        }

        if (includeVectors)
        {
            foreach (var property in model.VectorProperties)
            {
                float[]? stored = null;
                if (namedVectors)
                {
                    stored = vectors is not null && vectors.TryGetValue(property.StorageName, out var v) && v is DenseVector dense ? dense.Values : null;
                }
                else
                {
                    stored = unnamed ?? (vectors is not null && vectors.TryGetValue(string.Empty, out var v) && v is DenseVector dense ? dense.Values : null);
                }

                if (stored is not null)
                {
                    property.SetValueAsObject(record, FromArray(stored, property.Type));
                }
            }
        }

        return record;
    }

    private JsonElement WritePayload(object record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in model.DataProperties)
            {
                writer.WritePropertyName(property.StorageName);
                var value = property.GetValueAsObject(record);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, value, value.GetType(), Json);
                }
            }

            writer.WriteEndObject();
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static float[]? ToArray(object? value, VectorPropertyModel property) => value switch
    {
        null => null,
        float[] array => array,
        ReadOnlyMemory<float> memory => ToArray(memory),
        Embedding<float> embedding => ToArray(embedding.Vector),
        _ => throw new InvalidOperationException(
            $"Vector property '{property.ModelName}' holds a {value.GetType().Name}; RoseForest takes {RoseForestModelBuilder.SupportedVectorTypes}, or an embedding generator for other types."),
    };

    internal static float[] ToArray(ReadOnlyMemory<float> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    private static object FromArray(float[] values, Type type) =>
        type == typeof(float[]) ? values :
        type == typeof(Embedding<float>) ? new Embedding<float>(values) :
        new ReadOnlyMemory<float>(values);
}
