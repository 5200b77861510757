using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// One payload index: the values at <see cref="Key"/> of every live point, kept by slot and
/// maintained on every write that changes a payload. It answers a field condition only when it
/// can do so exactly as evaluating the condition on the payload would (see
/// <see cref="TryAnswer"/>); otherwise the condition is evaluated on the payload, as in Qdrant
/// outside strict mode. Only the collection's writer mutates it (under the write lock while
/// readers could look); readers hold the read lock.
/// </summary>
internal abstract class FieldIndex
{
    [ThreadStatic]
    private static List<JsonElement>? t_values;

    private readonly HashSet<int> _changed = [];
    private readonly HashSet<int> _renewed = [];

    protected FieldIndex(PayloadPath key, PayloadIndexParams schema)
    {
        Key = key;
        Schema = schema;
    }

    /// <summary>The indexed payload path.</summary>
    public PayloadPath Key { get; }

    /// <summary>The path in one spelling: the index's name.</summary>
    public string Name => Key.Canonical;

    public PayloadIndexParams Schema { get; }

    /// <summary>Points with at least one indexed value (Qdrant's <c>points</c> in payload_schema).</summary>
    public abstract long Points { get; }

    /// <summary>The tokenizer full-text conditions on this key use, for a text index.</summary>
    public virtual TextTokenizer? Tokenizer => null;

    /// <summary>True when this index can give the graph per-value links (keyword, integer).</summary>
    public bool LinksValues => this is IValueBlocks && Schema.Type is PayloadSchemaType.Keyword or PayloadSchemaType.Integer && Schema.EnableHnsw != false;

    /// <summary>(Re)indexes a slot from its payload. <paramref name="renewed"/>: the slot holds a new vector (an upsert), not just a payload edit.</summary>
    public abstract void Set(int slot, JsonElement? payload, bool renewed);

    /// <summary>Forgets a slot's values (the point was deleted or replaced).</summary>
    public abstract void Clear(int slot);

    /// <summary>
    /// A predicate and an estimate for <paramref name="condition"/> (whose key is this index's),
    /// or null when the index cannot answer it exactly as the payload would: another value type,
    /// several clauses, values_count, is_empty, is_null.
    /// </summary>
    public abstract IndexedCondition? TryAnswer(FieldCondition condition, long total);

    /// <summary>Slots whose indexed values changed since the last <see cref="TakeChanges"/> (for per-value links).</summary>
    public (int[] Changed, int[] Renewed) TakeChanges()
    {
        var result = (_changed.ToArray(), _renewed.ToArray());
        _changed.Clear();
        _renewed.Clear();
        return result;
    }

    /// <summary>Forgets pending changes (after building from a snapshot, whose links already match).</summary>
    public void ForgetChanges()
    {
        _changed.Clear();
        _renewed.Clear();
    }

    protected void MarkChanged(int slot, bool renewed)
    {
        if (!LinksValues)
        {
            return;
        }

        _changed.Add(slot);
        if (renewed)
        {
            _renewed.Add(slot);
        }
    }

    /// <summary>
    /// Every value at the key, with one level of array unwrapped: the values a field condition
    /// tests one by one (FieldCondition's evaluation does the same), so an index built from them
    /// answers as the payload would. The list is reused: consume it before the next call.
    /// </summary>
    protected List<JsonElement> ValuesOf(JsonElement? payload)
    {
        var values = t_values ??= new List<JsonElement>(8);
        values.Clear();
        if (payload is not { } p)
        {
            return values;
        }

        using var scope = ValueScope.Rent();
        Key.Resolve(p, scope.Values);
        foreach (var v in scope.Values)
        {
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in v.EnumerateArray())
                {
                    values.Add(element);
                }
            }
            else
            {
                values.Add(v);
            }
        }

        return values;
    }

    /// <summary>The index for a schema.</summary>
    public static FieldIndex Create(PayloadPath key, PayloadIndexParams schema) => schema.Type switch
    {
        PayloadSchemaType.Keyword => new KeywordIndex(key, schema),
        PayloadSchemaType.Integer => new IntegerIndex(key, schema),
        PayloadSchemaType.Float => new FloatIndex(key, schema),
        PayloadSchemaType.Bool => new BoolIndex(key, schema),
        PayloadSchemaType.Datetime => new DatetimeIndex(key, schema),
        PayloadSchemaType.Uuid => new UuidIndex(key, schema),
        PayloadSchemaType.Text => new TextIndex(key, schema),
        _ => new GeoIndex(key, schema),
    };
}

/// <summary>A condition an index answers: a per-slot test (true only for live points' values the index holds) and an estimate.</summary>
internal sealed record IndexedCondition(SlotPredicate Predicate, Cardinality Cardinality);

/// <summary>A test of one slot, compiled from a filter or a condition.</summary>
internal abstract class SlotPredicate
{
    public abstract bool Test(int slot);
}

/// <summary>
/// An index whose values form blocks of points (a keyword, an integer): the graph can carry extra
/// links among each block's points, so a walk restricted to one value stays connected.
/// </summary>
internal interface IValueBlocks
{
    /// <summary>The value ids a slot holds (none when it has no value).</summary>
    void ValueIds(int slot, List<int> ids);

    /// <summary>How many points hold the value.</summary>
    int CountOf(int valueId);

    /// <summary>Whether the slot holds the value.</summary>
    bool Holds(int slot, int valueId);

    /// <summary>The slots holding the value.</summary>
    IReadOnlyCollection<int> SlotsOf(int valueId);

    /// <summary>Every value id in use.</summary>
    IEnumerable<int> ValueIdsInUse { get; }

    /// <summary>The value as stable text (JSON), to persist which blocks are linked.</summary>
    string ValueText(int valueId);

    /// <summary>The id of a value given as <see cref="ValueText"/>, or -1 when no point holds it.</summary>
    int IdOfText(string text);
}
