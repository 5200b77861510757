namespace RoseForest.Contracts;

/// <summary>The value types a payload index can be built for (Qdrant's <c>PayloadSchemaType</c>).</summary>
public enum PayloadSchemaType
{
    /// <summary>Strings matched exactly (match value, any, except; prefix).</summary>
    Keyword,

    /// <summary>Integers: match and range.</summary>
    Integer,

    /// <summary>Numbers: range.</summary>
    Float,

    /// <summary><c>{"lon", "lat"}</c> points: geo radius, box and polygon.</summary>
    Geo,

    /// <summary>Full text: text, text_any and phrase matches, with the index's tokenizer.</summary>
    Text,

    /// <summary>true / false.</summary>
    Bool,

    /// <summary>RFC 3339 datetimes: datetime ranges.</summary>
    Datetime,

    /// <summary>UUID strings: match.</summary>
    Uuid,
}

/// <summary>How a text index splits strings into tokens.</summary>
public enum TokenizerType
{
    /// <summary>Runs of letters and digits (the default).</summary>
    Word,

    /// <summary>Runs of characters other than whitespace.</summary>
    Whitespace,

    /// <summary>Words, stored with every prefix from <c>min_token_len</c> to <c>max_token_len</c> characters; queries match word prefixes.</summary>
    Prefix,

    /// <summary>Qdrant's language-aware tokenizer; RoseForest splits as <see cref="Word"/> does.</summary>
    Multilingual,
}

/// <summary>
/// A payload index's type and options (Qdrant's <c>PayloadFieldSchema</c>): a bare type
/// (<c>"keyword"</c>) when <see cref="HasParams"/> is false, or a params object
/// (<c>{"type": "integer", "range": false}</c>) whose given options are reported back as given.
/// Options that do not belong to the type are refused by <see cref="Validate"/>.
/// </summary>
/// <param name="Type">The value type.</param>
public sealed record PayloadIndexParams(PayloadSchemaType Type)
{
    /// <summary>True when the schema was a params object rather than a bare type name.</summary>
    public bool HasParams { get; init; }

    /// <summary>keyword, uuid: a tenant key (accepted; every index is held in memory the same way).</summary>
    public bool? IsTenant { get; init; }

    /// <summary>integer, float, datetime: the key most requests filter by (accepted and reported).</summary>
    public bool? IsPrincipal { get; init; }

    /// <summary>Any type: Qdrant's deprecated on-disk placement (accepted; RoseForest keeps indexes in memory).</summary>
    public bool? OnDisk { get; init; }

    /// <summary>Any type: Qdrant's memory placement, <c>cold</c>, <c>cached</c> or <c>pinned</c> (accepted and reported).</summary>
    public string? Memory { get; init; }

    /// <summary>Any type: build per-value graph links for this field (keyword and integer; default true).</summary>
    public bool? EnableHnsw { get; init; }

    /// <summary>keyword: serve prefix matches (accepted; the keyword index always serves them).</summary>
    public bool? Prefix { get; init; }

    /// <summary>integer: serve match conditions (default true).</summary>
    public bool? Lookup { get; init; }

    /// <summary>integer: serve range conditions (default true).</summary>
    public bool? Range { get; init; }

    /// <summary>text: the tokenizer.</summary>
    public TokenizerType Tokenizer { get; init; } = TokenizerType.Word;

    /// <summary>text: tokens with fewer characters are dropped (with the prefix tokenizer: the shortest prefix stored).</summary>
    public int? MinTokenLen { get; init; }

    /// <summary>text: tokens with more characters are dropped (with the prefix tokenizer: the longest prefix stored).</summary>
    public int? MaxTokenLen { get; init; }

    /// <summary>text: lowercase tokens (default true).</summary>
    public bool? Lowercase { get; init; }

    /// <summary>text: phrase matching (accepted; phrases are always matched, by scanning with the index's tokenizer).</summary>
    public bool? PhraseMatching { get; init; }

    /// <summary>The schema of a bare type name.</summary>
    public static PayloadIndexParams Of(PayloadSchemaType type) => new(type);

    /// <summary>
    /// Throws a <see cref="ValidationException"/> naming the option when an option does not
    /// belong to <see cref="Type"/>, when integer's lookup and range are both false, or when a
    /// token length is out of range.
    /// </summary>
    public void Validate(string field = "field_schema")
    {
        if (!HasParams && (IsTenant ?? IsPrincipal ?? OnDisk ?? EnableHnsw ?? Prefix ?? Lookup ?? Range ?? Lowercase ?? PhraseMatching) is not null)
        {
            throw new ValidationException(field, "options need a params object: {\"type\": \"…\", …}.");
        }

        Refuse(IsTenant, "is_tenant", PayloadSchemaType.Keyword, PayloadSchemaType.Uuid);
        Refuse(IsPrincipal, "is_principal", PayloadSchemaType.Integer, PayloadSchemaType.Float, PayloadSchemaType.Datetime);
        Refuse(Prefix, "prefix", PayloadSchemaType.Keyword);
        Refuse(Lookup, "lookup", PayloadSchemaType.Integer);
        Refuse(Range, "range", PayloadSchemaType.Integer);
        Refuse(Lowercase, "lowercase", PayloadSchemaType.Text);
        Refuse(PhraseMatching, "phrase_matching", PayloadSchemaType.Text);
        Refuse(MinTokenLen, "min_token_len", PayloadSchemaType.Text);
        Refuse(MaxTokenLen, "max_token_len", PayloadSchemaType.Text);
        if (Tokenizer != TokenizerType.Word && Type != PayloadSchemaType.Text)
        {
            throw new ValidationException($"{field}.tokenizer", $"is an option of text indexes, not of {Name(Type)}.");
        }

        if (Lookup == false && Range == false)
        {
            throw new ValidationException(field, "Validation error: the 'lookup' and 'range' capabilities can't be both disabled.");
        }

        if (MinTokenLen is < 0 || MaxTokenLen is < 0)
        {
            throw new ValidationException(field, "token lengths must not be negative.");
        }

        if (MinTokenLen is { } min && MaxTokenLen is { } max && min > max)
        {
            throw new ValidationException($"{field}.min_token_len", $"must not exceed max_token_len ({max}), got {min}.");
        }

        if (Memory is not (null or "cold" or "cached" or "pinned"))
        {
            throw new ValidationException($"{field}.memory", $"expected cold, cached or pinned, got {Memory}.");
        }

        void Refuse<T>(T? value, string name, params PayloadSchemaType[] types)
            where T : struct
        {
            if (value is not null && Array.IndexOf(types, Type) < 0)
            {
                throw new ValidationException($"{field}.{name}", $"is not an option of {Name(Type)} indexes.");
            }
        }
    }

    /// <summary>The type's name in Qdrant's API (<c>keyword</c>, <c>integer</c>, …).</summary>
    public static string Name(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => "keyword",
        PayloadSchemaType.Integer => "integer",
        PayloadSchemaType.Float => "float",
        PayloadSchemaType.Geo => "geo",
        PayloadSchemaType.Text => "text",
        PayloadSchemaType.Bool => "bool",
        PayloadSchemaType.Datetime => "datetime",
        _ => "uuid",
    };
}

/// <summary>One payload index as collection info reports it (Qdrant's <c>PayloadIndexInfo</c>).</summary>
/// <param name="Schema">The index's type and options.</param>
/// <param name="Points">Points with at least one value the index holds.</param>
public sealed record PayloadIndexInfo(PayloadIndexParams Schema, long Points);
