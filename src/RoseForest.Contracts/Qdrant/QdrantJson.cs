using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

/// <summary>
/// Qdrant's REST JSON shapes (v1.19) for the contract records, both ways: <c>Read…</c> parses
/// a request or response strictly (unknown fields are refused, naming the field);
/// <c>Write…</c> writes one. The REST server reads requests and writes responses with it, the
/// REST client writes requests and reads responses with it, so the two cannot drift apart.
/// </summary>
public static partial class QdrantJson
{
    /// <summary>Limits a server applies while reading requests (Qdrant's defaults are looser).</summary>
    public sealed class Limits
    {
        /// <summary>The most points one upsert may carry.</summary>
        public int MaxBatchPoints { get; init; } = 10_000;

        /// <summary>The largest limit (and limit + offset), id list and batch a request may ask for.</summary>
        public int MaxLimit { get; init; } = 10_000;

        /// <summary>The defaults.</summary>
        public static Limits Default { get; } = new();
    }

    /// <summary>Writes an element into a JSON writer, or null.</summary>
    private static void WriteOptional(Utf8JsonWriter w, string name, JsonElement? value)
    {
        if (value is { } v)
        {
            w.WritePropertyName(name);
            v.WriteTo(w);
        }
    }

    /// <summary>Runs a writer into a detached JSON element (for building request bodies).</summary>
    public static JsonElement ToElement(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>Runs a writer into UTF-8 bytes.</summary>
    public static byte[] ToUtf8(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
