using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] CommonIndexFields = ["type", "on_disk", "memory", "enable_hnsw"];

    /// <summary>
    /// PUT /collections/{name}/index: <c>{"field_name", "field_schema"}</c> (<c>field_type</c> is
    /// Qdrant's alias). Without a schema Qdrant cannot guess the type, and neither does RoseForest.
    /// </summary>
    public static (string FieldName, PayloadIndexParams Schema) ReadCreateFieldIndex(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "field_name", "field_schema", "field_type");
        var name = JsonFields.String(body, "field_name", string.Empty) ?? throw new ValidationException("field_name", "is required.");
        if (JsonFields.Get(body, "field_schema") is not null && JsonFields.Get(body, "field_type") is not null)
        {
            throw new ValidationException("field_schema", "give field_schema or its alias field_type, not both.");
        }

        var field = JsonFields.Get(body, "field_schema") is null ? "field_type" : "field_schema";
        var schema = JsonFields.Get(body, field) ?? throw new ValidationException(
            "field_schema", "Bad request: Can't auto-detect field type, please specify `field_schema` in the request");
        return (name, ReadPayloadFieldSchema(schema, field));
    }

    /// <summary>Writes a body <see cref="ReadCreateFieldIndex"/> reads back.</summary>
    public static void WriteCreateFieldIndex(Utf8JsonWriter w, string fieldName, PayloadIndexParams schema)
    {
        w.WriteStartObject();
        w.WriteString("field_name", fieldName);
        w.WritePropertyName("field_schema");
        WritePayloadFieldSchema(w, schema);
        w.WriteEndObject();
    }

    /// <summary>
    /// Qdrant's PayloadFieldSchema: a type name, or a params object with <c>type</c> and that
    /// type's options. Unknown options are refused, and so are Qdrant's stopwords, stemmer and
    /// ASCII folding, which RoseForest's text index does not have.
    /// </summary>
    public static PayloadIndexParams ReadPayloadFieldSchema(JsonElement v, string field)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return PayloadIndexParams.Of(ParseSchemaType(v.GetString(), field));
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"expected a type name or a params object, got {JsonFields.Kind(v)}.");
        }

        var type = ParseSchemaType(JsonFields.String(v, "type", field) ?? throw new ValidationException($"{field}.type", "is required."), $"{field}.type");
        string[] own = type switch
        {
            PayloadSchemaType.Keyword => ["is_tenant", "prefix"],
            PayloadSchemaType.Integer => ["lookup", "range", "is_principal"],
            PayloadSchemaType.Float or PayloadSchemaType.Datetime => ["is_principal"],
            PayloadSchemaType.Uuid => ["is_tenant"],
            PayloadSchemaType.Text => ["tokenizer", "min_token_len", "max_token_len", "lowercase", "phrase_matching", "ascii_folding", "stopwords", "stemmer"],
            _ => [],
        };
        JsonFields.Object(v, field, [.. CommonIndexFields, .. own]);
        foreach (var unsupported in new[] { "ascii_folding", "stopwords", "stemmer" })
        {
            if (JsonFields.Get(v, unsupported) is not null)
            {
                throw new ValidationException($"{field}.{unsupported}", "is not supported by RoseForest's text index (no stop words, stemming or ASCII folding).");
            }
        }

        var schema = new PayloadIndexParams(type)
        {
            HasParams = true,
            IsTenant = JsonFields.Bool(v, "is_tenant", field),
            IsPrincipal = JsonFields.Bool(v, "is_principal", field),
            OnDisk = JsonFields.Bool(v, "on_disk", field),
            Memory = JsonFields.String(v, "memory", field),
            EnableHnsw = JsonFields.Bool(v, "enable_hnsw", field),
            Prefix = JsonFields.Bool(v, "prefix", field),
            Lookup = JsonFields.Bool(v, "lookup", field),
            Range = JsonFields.Bool(v, "range", field),
            Tokenizer = JsonFields.String(v, "tokenizer", field) switch
            {
                null or "word" => TokenizerType.Word,
                "whitespace" => TokenizerType.Whitespace,
                "prefix" => TokenizerType.Prefix,
                "multilingual" => TokenizerType.Multilingual,
                var other => throw new ValidationException($"{field}.tokenizer", $"expected word, whitespace, prefix or multilingual, got {other}."),
            },
            MinTokenLen = JsonFields.Int(v, "min_token_len", field, 0, int.MaxValue),
            MaxTokenLen = JsonFields.Int(v, "max_token_len", field, 0, int.MaxValue),
            Lowercase = JsonFields.Bool(v, "lowercase", field),
            PhraseMatching = JsonFields.Bool(v, "phrase_matching", field),
        };
        schema.Validate(field);
        return schema;
    }

    /// <summary>
    /// Writes a schema as Qdrant serializes it: the type name, or the params object with the
    /// options that were given (integer's lookup, range and is_principal, and float's and
    /// datetime's is_principal, are always written, as null when not given; text always has a tokenizer).
    /// </summary>
    public static void WritePayloadFieldSchema(Utf8JsonWriter w, PayloadIndexParams s)
    {
        if (!s.HasParams)
        {
            w.WriteStringValue(PayloadIndexParams.Name(s.Type));
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", PayloadIndexParams.Name(s.Type));
        switch (s.Type)
        {
            case PayloadSchemaType.Keyword or PayloadSchemaType.Uuid:
                Optional(w, "is_tenant", s.IsTenant);
                break;
            case PayloadSchemaType.Integer:
                Nullable(w, "lookup", s.Lookup);
                Nullable(w, "range", s.Range);
                Nullable(w, "is_principal", s.IsPrincipal);
                break;
            case PayloadSchemaType.Float or PayloadSchemaType.Datetime:
                Nullable(w, "is_principal", s.IsPrincipal);
                break;
            case PayloadSchemaType.Text:
                w.WriteString("tokenizer", s.Tokenizer.ToString().ToLowerInvariant());
                if (s.MinTokenLen is { } min)
                {
                    w.WriteNumber("min_token_len", min);
                }

                if (s.MaxTokenLen is { } max)
                {
                    w.WriteNumber("max_token_len", max);
                }

                Optional(w, "lowercase", s.Lowercase);
                Optional(w, "phrase_matching", s.PhraseMatching);
                break;
        }

        Optional(w, "on_disk", s.OnDisk);
        if (s.Memory is not null)
        {
            w.WriteString("memory", s.Memory);
        }

        Optional(w, "enable_hnsw", s.EnableHnsw);
        if (s.Type == PayloadSchemaType.Keyword)
        {
            Optional(w, "prefix", s.Prefix);
        }

        w.WriteEndObject();

        static void Optional(Utf8JsonWriter w, string name, bool? value)
        {
            if (value is { } b)
            {
                w.WriteBoolean(name, b);
            }
        }

        static void Nullable(Utf8JsonWriter w, string name, bool? value)
        {
            if (value is { } b)
            {
                w.WriteBoolean(name, b);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }

    /// <summary>
    /// <c>"payload_schema": {field: {"data_type", "params"?, "points"}}</c> (Qdrant's
    /// PayloadIndexInfo; <c>params</c> only for a schema given as a params object).
    /// </summary>
    public static void WritePayloadSchema(Utf8JsonWriter w, IReadOnlyDictionary<string, PayloadIndexInfo> schema)
    {
        w.WriteStartObject("payload_schema");
        foreach (var (field, info) in schema.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(field);
            w.WriteString("data_type", PayloadIndexParams.Name(info.Schema.Type));
            if (info.Schema.HasParams)
            {
                w.WritePropertyName("params");
                WritePayloadFieldSchema(w, info.Schema);
            }

            w.WriteNumber("points", info.Points);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Reads a collection info's <c>payload_schema</c> object.</summary>
    public static IReadOnlyDictionary<string, PayloadIndexInfo> ReadPayloadSchema(JsonElement e)
    {
        var result = new Dictionary<string, PayloadIndexInfo>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var schema = JsonFields.Get(p.Value, "params") is { } ps
                ? ReadPayloadFieldSchema(ps, $"payload_schema.{p.Name}.params")
                : PayloadIndexParams.Of(ParseSchemaType(p.Value.GetProperty("data_type").GetString(), $"payload_schema.{p.Name}.data_type"));
            result[p.Name] = new PayloadIndexInfo(schema, p.Value.GetProperty("points").GetInt64());
        }

        return result;
    }

    private static PayloadSchemaType ParseSchemaType(string? name, string field) => name switch
    {
        "keyword" => PayloadSchemaType.Keyword,
        "integer" => PayloadSchemaType.Integer,
        "float" => PayloadSchemaType.Float,
        "geo" => PayloadSchemaType.Geo,
        "text" => PayloadSchemaType.Text,
        "bool" => PayloadSchemaType.Bool,
        "datetime" => PayloadSchemaType.Datetime,
        "uuid" => PayloadSchemaType.Uuid,
        _ => throw new ValidationException(field, $"unknown payload type '{name}'; expected keyword, integer, float, geo, text, bool, datetime or uuid."),
    };
}
