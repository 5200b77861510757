using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// System.Text.Json settings for the YumeiCHAIN wire format: snake_case names as declared on the
/// model, null fields omitted on output, unknown fields ignored on input.
/// </summary>
public static class KnowledgeJson
{
    /// <summary>The options every knowledge type is (de)serialized with.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes a package as JSON with null fields omitted.</summary>
    public static string Serialize(KnowledgePackage package) => JsonSerializer.Serialize(package, Options);

    /// <summary>Reads a package; throws <see cref="KnowledgeValidationException"/> when the JSON is malformed.</summary>
    public static KnowledgePackage Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<KnowledgePackage>(json, Options)
                ?? throw new KnowledgeValidationException("$", "the package is null");
        }
        catch (JsonException e)
        {
            throw new KnowledgeValidationException(e.Path ?? "$", e.Message, e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
