using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RoseForest.Communication.Contracts;

/// <summary>
/// Reads and validates a model contract. Every field is checked and a bad one throws
/// <see cref="ValidationException"/> naming it by its JSON path (<c>hvs_binding.dimension</c>),
/// which the HTTP part answers with 400.
/// </summary>
public static partial class ContractParser
{
    /// <summary>The geometry names the contract accepts and the RoseForest geometry each maps to.</summary>
    /// <remarks>
    /// The HVS draft's "lorentzian" is a de Sitter space; RoseForest has no de Sitter geometry, so
    /// it is read as the Lorentz (hyperboloid) model, which is what the draft's code computes with.
    /// </remarks>
    public static IReadOnlyDictionary<string, Geometry> Geometries { get; } = new Dictionary<string, Geometry>(StringComparer.Ordinal)
    {
        ["poincare"] = Geometry.Poincare,
        ["hyperboloid"] = Geometry.Lorentz,
        ["lorentzian"] = Geometry.Lorentz,
        ["euclidean"] = Geometry.Euclid,
    };

    /// <summary>The largest dimension a contract may state.</summary>
    public const int MaxDimension = 4096;

    /// <summary>Parses a contract from JSON text.</summary>
    public static ModelContract Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ValidationException("contract", $"not JSON: {e.Message}");
        }

        return Parse(node);
    }

    /// <summary>Validates a contract document and reads its typed fields.</summary>
    public static ModelContract Parse(JsonNode? node)
    {
        if (node is not JsonObject root)
        {
            throw new ValidationException("contract", "must be a JSON object.");
        }

        if (root["$schema"] is { } schema)
        {
            _ = Text(schema, "$schema", 1, 512);
        }

        var contractVersion = Text(root["contract_version"], "contract_version", 1, 32);
        if (!VersionRegex().IsMatch(contractVersion) || !contractVersion.StartsWith('1'))
        {
            throw new ValidationException("contract_version", $"must be a 1.x version such as \"1.0.0\", got \"{contractVersion}\".");
        }

        var model = Object(root, "model");
        var id = Text(model["id"], "model.id", 1, 64);
        if (!IdRegex().IsMatch(id))
        {
            throw new ValidationException("model.id", "use 1-64 characters from lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.");
        }

        var name = Text(model["name"], "model.name", 1, 200);
        var version = Text(model["version"], "model.version", 1, 64);
        var type = Text(model["type"], "model.type", 1, 64);
        var capabilities = Strings(model["capabilities"], "model.capabilities", allowEmpty: true);

        var binding = Object(root, "hvs_binding");
        _ = Text(binding["hvs_id"], "hvs_binding.hvs_id", 1, 128);
        _ = Text(binding["region"], "hvs_binding.region", 1, 128);
        var ns = Text(binding["namespace"], "hvs_binding.namespace", 1, NamespaceNames.MaxLength);
        NamespaceNames.Validate(ns, "hvs_binding.namespace");
        var geometryName = Text(binding["geometry"], "hvs_binding.geometry", 1, 32);
        if (!Geometries.TryGetValue(geometryName, out var geometry))
        {
            throw new ValidationException("hvs_binding.geometry", $"must be one of poincare, hyperboloid, euclidean, lorentzian; got \"{geometryName}\".");
        }

        var dimension = Integer(binding["dimension"], "hvs_binding.dimension", 1, MaxDimension);
        if (binding["dimension_kind"] is { } kind && Text(kind, "hvs_binding.dimension_kind", 1, 16) != "intrinsic")
        {
            throw new ValidationException("hvs_binding.dimension_kind", "hvs_binding.dimension is the manifold's intrinsic dimension; only \"intrinsic\" may be stated (the ambient one is derived).");
        }

        var spec = Object(root, "vector_spec");
        _ = Integer(spec["input_dimension"], "vector_spec.input_dimension", 1, 1 << 20);
        var output = Integer(spec["output_dimension"], "vector_spec.output_dimension", 1, MaxDimension);
        if (output != dimension)
        {
            throw new ValidationException("vector_spec.output_dimension", $"must equal hvs_binding.dimension ({dimension}): the model's output is what it writes into HVS; got {output}.");
        }

        _ = Text(spec["encoding"], "vector_spec.encoding", 1, 64);
        OptionalObject(spec, "encoder", "vector_spec.encoder");
        OptionalObject(spec, "decoder", "vector_spec.decoder");

        var protocol = Object(root, "communication_protocol");
        var format = Text(protocol["message_format"], "communication_protocol.message_format", 1, 32);
        if (format != "json")
        {
            throw new ValidationException("communication_protocol.message_format", $"only \"json\" is served, got \"{format}\".");
        }

        var encoding = Text(protocol["encoding"], "communication_protocol.encoding", 1, 32);
        if (!string.Equals(encoding, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("communication_protocol.encoding", $"only \"utf-8\" is served, got \"{encoding}\".");
        }

        var maxMessage = Integer(protocol["max_message_size_bytes"], "communication_protocol.max_message_size_bytes", 1, 16 << 20);
        _ = Integer(protocol["timeout_ms"], "communication_protocol.timeout_ms", 1, 3_600_000);
        var retry = Object(protocol, "retry", "communication_protocol.retry");
        _ = Integer(retry["max_attempts"], "communication_protocol.retry.max_attempts", 1, 100);
        switch (retry["backoff_ms"])
        {
            case JsonArray steps:
                for (var i = 0; i < steps.Count; i++)
                {
                    _ = Integer(steps[i], $"communication_protocol.retry.backoff_ms[{i}]", 0, 3_600_000);
                }

                break;
            case { } single:
                _ = Integer(single, "communication_protocol.retry.backoff_ms", 0, 3_600_000);
                break;
            default:
                throw new ValidationException("communication_protocol.retry.backoff_ms", "is required: milliseconds, or a list of them per attempt.");
        }

        var permissions = Object(root, "permissions");
        var read = Strings(permissions["read_namespaces"], "permissions.read_namespaces", allowEmpty: true);
        var write = Strings(permissions["write_namespaces"], "permissions.write_namespaces", allowEmpty: false);
        CheckNamespaceList(read, "permissions.read_namespaces");
        CheckNamespaceList(write, "permissions.write_namespaces");
        var broadcast = Boolean(permissions["broadcast"], "permissions.broadcast");
        var queryOthers = Boolean(permissions["query_other_models"], "permissions.query_other_models");

        var limits = Object(root, "resource_limits");
        var vectors = Number(limits["max_vectors_per_second"], "resource_limits.max_vectors_per_second");
        var storage = Number(limits["max_storage_mb"], "resource_limits.max_storage_mb");
        var queries = Number(limits["max_queries_per_second"], "resource_limits.max_queries_per_second");

        var health = Object(root, "health_check");
        var endpoint = Text(health["endpoint"], "health_check.endpoint", 1, 512);
        if (!endpoint.StartsWith('/') && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new ValidationException("health_check.endpoint", "must be a path starting with '/' or an absolute URL.");
        }

        var interval = Integer(health["interval_seconds"], "health_check.interval_seconds", 1, 86_400);
        var timeout = Integer(health["timeout_seconds"], "health_check.timeout_seconds", 1, 86_400);
        if (timeout > interval)
        {
            throw new ValidationException("health_check.timeout_seconds", $"must not exceed interval_seconds ({interval}).");
        }

        return new ModelContract
        {
            Document = (JsonObject)root.DeepClone(),
            ContractVersion = contractVersion,
            ModelId = id,
            Name = name,
            ModelVersion = version,
            Type = type,
            Capabilities = capabilities,
            Namespace = ns,
            GeometryName = geometryName,
            Geometry = geometry,
            Dimension = dimension,
            MaxMessageBytes = maxMessage,
            ReadNamespaces = read,
            WriteNamespaces = write,
            MayBroadcast = broadcast,
            MayQueryOtherModels = queryOthers,
            MaxVectorsPerSecond = vectors,
            MaxQueriesPerSecond = queries,
            MaxStorageMb = storage,
        };
    }

    private static void CheckNamespaceList(IReadOnlyList<string> names, string field)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] != "*")
            {
                NamespaceNames.Validate(names[i], $"{field}[{i}]");
            }
        }
    }

    private static JsonObject Object(JsonObject parent, string name, string? field = null)
    {
        field ??= name;
        return parent[name] as JsonObject ?? throw new ValidationException(field, parent[name] is null ? "is required (an object)." : "must be an object.");
    }

    private static void OptionalObject(JsonObject parent, string name, string field)
    {
        if (parent[name] is { } node && node is not JsonObject)
        {
            throw new ValidationException(field, "must be an object when given.");
        }
    }

    private static string Text(JsonNode? node, string field, int min, int max)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            throw new ValidationException(field, node is null ? "is required (a string)." : "must be a string.");
        }

        if (text.Length < min || text.Length > max || text.Any(char.IsControl))
        {
            throw new ValidationException(field, $"must be {min}-{max} characters without control characters.");
        }

        return text;
    }

    private static int Integer(JsonNode? node, string field, int min, int max)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !int.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw new ValidationException(field, node is null ? "is required (an integer)." : "must be an integer.");
        }

        if (number < min || number > max)
        {
            throw new ValidationException(field, $"must be between {min} and {max}, got {number}.");
        }

        return number;
    }

    private static double Number(JsonNode? node, string field)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw new ValidationException(field, node is null ? "is required (a number)." : "must be a number.");
        }

        if (!double.IsFinite(number) || number <= 0)
        {
            throw new ValidationException(field, $"must be a positive number, got {number}.");
        }

        return number;
    }

    private static bool Boolean(JsonNode? node, string field)
    {
        if (node is not JsonValue value || !value.TryGetValue<bool>(out var flag))
        {
            throw new ValidationException(field, node is null ? "is required (true or false)." : "must be true or false.");
        }

        return flag;
    }

    private static string[] Strings(JsonNode? node, string field, bool allowEmpty)
    {
        if (node is not JsonArray array)
        {
            throw new ValidationException(field, node is null ? "is required (a list of strings)." : "must be a list of strings.");
        }

        if (array.Count == 0 && !allowEmpty)
        {
            throw new ValidationException(field, "must not be empty.");
        }

        var result = new string[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            result[i] = Text(array[i], $"{field}[{i}]", 1, 128);
        }

        return result;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^\d+(\.\d+){0,2}$")]
    private static partial Regex VersionRegex();
}
