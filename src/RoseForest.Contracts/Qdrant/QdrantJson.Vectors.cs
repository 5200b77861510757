using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>
    /// Qdrant's VectorStruct: an array of numbers (the unnamed dense vector), an array of arrays
    /// (the unnamed multivector), or an object of named vectors, each an array (dense), an array
    /// of arrays (multi) or <c>{"indices", "values"}</c> (sparse). Returns the unnamed dense
    /// vector and the others by name (an unnamed multivector under <c>""</c>).
    /// </summary>
    public static (float[]? Unnamed, Dictionary<string, VectorData>? Named) ReadVectorStruct(JsonElement v, string field)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Array when v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array:
                return (null, new Dictionary<string, VectorData> { [string.Empty] = ReadMulti(v, field) });
            case JsonValueKind.Array:
                return (JsonFields.Vector(v, field), null);
            case JsonValueKind.Object:
                var named = new Dictionary<string, VectorData>(StringComparer.Ordinal);
                foreach (var p in v.EnumerateObject())
                {
                    named[p.Name] = ReadVectorData(p.Value, $"{field}.{p.Name}");
                }

                return (null, named);
            default:
                throw new ValidationException(field, $"expected a vector (an array of numbers) or an object of named vectors, got {JsonFields.Kind(v)}.");
        }
    }

    /// <summary>One named vector: an array (dense), an array of arrays (multi) or <c>{"indices", "values"}</c> (sparse).</summary>
    public static VectorData ReadVectorData(JsonElement v, string field)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Array when v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array:
                return ReadMulti(v, field);
            case JsonValueKind.Array:
                return new DenseVector(JsonFields.Vector(v, field));
            case JsonValueKind.Object when v.TryGetProperty("indices", out _) || v.TryGetProperty("values", out _):
                return ReadSparse(v, field);
            case JsonValueKind.Object when v.TryGetProperty("text", out _) || v.TryGetProperty("image", out _) || v.TryGetProperty("object", out _):
                throw new ValidationException(field, "inference objects (text, image, object) need an embedding model configured for this vector; RoseForest has none here.");
            default:
                throw new ValidationException(field, $"expected a dense vector (array), a multivector (array of arrays) or a sparse vector ({{\"indices\", \"values\"}}), got {JsonFields.Kind(v)}.");
        }
    }

    /// <summary>A sparse vector <c>{"indices": [u32…], "values": [f32…]}</c> (checked further by the collection).</summary>
    public static SparseVector ReadSparse(JsonElement v, string field)
    {
        JsonFields.Object(v, field, "indices", "values");
        var indices = JsonFields.Get(v, "indices") ?? throw new ValidationException($"{field}.indices", "is required.");
        var values = JsonFields.Get(v, "values") ?? throw new ValidationException($"{field}.values", "is required.");
        if (indices.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException($"{field}.indices", "expected an array of non-negative integers.");
        }

        var result = new uint[indices.GetArrayLength()];
        var i = 0;
        foreach (var x in indices.EnumerateArray())
        {
            result[i] = x.ValueKind == JsonValueKind.Number && x.TryGetUInt32(out var n) ? n : throw new ValidationException($"{field}.indices[{i}]", "expected an integer between 0 and 4294967295.");
            i++;
        }

        return new SparseVector(result, JsonFields.Vector(values, $"{field}.values"));
    }

    private static MultiVector ReadMulti(JsonElement v, string field)
    {
        var rows = new float[v.GetArrayLength()][];
        var i = 0;
        foreach (var row in v.EnumerateArray())
        {
            rows[i] = JsonFields.Vector(row, $"{field}[{i}]");
            i++;
        }

        return new MultiVector(rows);
    }

    /// <summary>
    /// Writes a point's vectors as Qdrant's VectorStructOutput: an array when the point has only
    /// the unnamed dense vector, else an object of named vectors (the unnamed one under <c>""</c>).
    /// Nothing is written when there is no vector; <c>{}</c> when <paramref name="named"/> is given but
    /// empty (vectors were asked for and the point holds none of them, as Qdrant answers).
    /// </summary>
    public static void WriteVectorStruct(Utf8JsonWriter w, string name, float[]? unnamed, IReadOnlyDictionary<string, VectorData>? named)
    {
        if (named is { Count: 0 } && unnamed is null)
        {
            w.WriteStartObject(name);
            w.WriteEndObject();
            return;
        }

        if (named is not { Count: > 0 })
        {
            if (unnamed is not null)
            {
                WriteVector(w, name, unnamed);
            }

            return;
        }

        if (named.Count == 1 && unnamed is null && named.TryGetValue(string.Empty, out var only))
        {
            w.WritePropertyName(name);
            WriteVectorData(w, only);
            return;
        }

        w.WriteStartObject(name);
        if (unnamed is not null)
        {
            WriteVector(w, string.Empty, unnamed);
        }

        foreach (var (key, data) in named.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            WriteVectorData(w, data);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes one vector: array, array of arrays, or {indices, values}.</summary>
    public static void WriteVectorData(Utf8JsonWriter w, VectorData data)
    {
        switch (data)
        {
            case DenseVector d:
                WriteFloats(w, d.Values);
                break;
            case MultiVector m:
                w.WriteStartArray();
                foreach (var row in m.Vectors)
                {
                    WriteFloats(w, row);
                }

                w.WriteEndArray();
                break;
            case SparseVector s:
                w.WriteStartObject();
                w.WriteStartArray("indices");
                foreach (var i in s.Indices)
                {
                    w.WriteNumberValue(i);
                }

                w.WriteEndArray();
                w.WritePropertyName("values");
                WriteFloats(w, s.Values);
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteFloats(Utf8JsonWriter w, float[] values)
    {
        w.WriteStartArray();
        foreach (var x in values)
        {
            w.WriteNumberValue(x);
        }

        w.WriteEndArray();
    }

    /// <summary>with_vector: true, false, or a list of vector names.</summary>
    public static VectorSelector ReadWithVector(JsonElement obj, string field, bool defaultValue)
    {
        return JsonFields.Get(obj, "with_vector") is { } v ? ReadVectorSelector(v, JsonFields.Join(field, "with_vector")) : defaultValue;
    }

    /// <summary>A vector selector value: true, false, or a list of vector names.</summary>
    private static VectorSelector ReadVectorSelector(JsonElement v, string path) => v.ValueKind switch
    {
        JsonValueKind.True => VectorSelector.All,
        JsonValueKind.False => VectorSelector.None,
        JsonValueKind.Array => VectorSelector.Only(ReadKeys(v, path)),
        _ => throw new ValidationException(path, "expected a boolean or an array of vector names."),
    };

    /// <summary>Writes <c>with_vector</c>.</summary>
    public static void WriteWithVector(Utf8JsonWriter w, VectorSelector selector)
    {
        w.WritePropertyName("with_vector");
        WriteVectorSelectorValue(w, selector);
    }

    /// <summary>Writes a vector selector value: true, false, or the names.</summary>
    private static void WriteVectorSelectorValue(Utf8JsonWriter w, VectorSelector selector)
    {
        if (selector.Names is { } names)
        {
            w.WriteStartArray();
            foreach (var n in names)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteBooleanValue(selector.IsAll);
        }
    }
}
