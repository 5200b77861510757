using System.Text;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// A collection's payload indexes by canonical key. The point table keeps them in step with
/// every payload change (<see cref="Set"/>, <see cref="Clear"/>); the writer installs and drops
/// indexes under the write lock.
/// </summary>
internal sealed class PayloadIndexSet
{
    private readonly Dictionary<string, FieldIndex> _byName = new(StringComparer.Ordinal);

    public int Count => _byName.Count;

    /// <summary>Bumped when an index is installed or dropped.</summary>
    public long Version { get; private set; }

    public IEnumerable<FieldIndex> All => _byName.Values;

    public FieldIndex? Find(PayloadPath key) => _byName.Count == 0 ? null : _byName.GetValueOrDefault(key.Canonical);

    public FieldIndex? Find(string canonicalName) => _byName.GetValueOrDefault(canonicalName);

    /// <summary>The tokenizer of the text index on <paramref name="key"/>, if there is one.</summary>
    public TextTokenizer? TokenizerFor(PayloadPath key) => Find(key)?.Tokenizer;

    /// <summary>Adds or replaces an index (built already).</summary>
    public void Install(FieldIndex index)
    {
        _byName[index.Name] = index;
        Version++;
    }

    /// <summary>Drops the index of a key; false when there was none.</summary>
    public bool Remove(string canonicalName)
    {
        if (!_byName.Remove(canonicalName))
        {
            return false;
        }

        Version++;
        return true;
    }

    /// <summary>Indexes a slot's payload in every index.</summary>
    public void Set(int slot, JsonElement? payload, bool renewed)
    {
        foreach (var index in _byName.Values)
        {
            index.Set(slot, payload, renewed);
        }
    }

    /// <summary>Removes a slot from every index.</summary>
    public void Clear(int slot)
    {
        foreach (var index in _byName.Values)
        {
            index.Clear(slot);
        }
    }

    /// <summary>Qdrant's payload_schema: each index's schema and point count.</summary>
    public IReadOnlyDictionary<string, PayloadIndexInfo> Schema() =>
        _byName.Values.ToDictionary(i => i.Name, i => new PayloadIndexInfo(i.Schema, i.Points), StringComparer.Ordinal);

    /// <summary>The schema as Qdrant's JSON (the form it is logged and snapshotted in).</summary>
    public static byte[] SchemaJson(PayloadIndexParams schema)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            QdrantJson.WritePayloadFieldSchema(w, schema);
        }

        return stream.ToArray();
    }

    /// <summary>Reads <see cref="SchemaJson"/>'s bytes back.</summary>
    public static PayloadIndexParams ParseSchema(ReadOnlySpan<byte> utf8) =>
        QdrantJson.ReadPayloadFieldSchema(JsonElement.Parse(Encoding.UTF8.GetString(utf8)), "field_schema");
}
