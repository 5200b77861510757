using System.Text.Json.Nodes;
using Json.Schema;
using RoseForest.Communication.Contracts;

namespace RoseForest.Communication.Tests;

public class ContractTests
{
    [Fact]
    public void The_seed_shaped_contract_is_valid_and_maps_the_geometry()
    {
        var c = ContractParser.Parse(Fixtures.Contract("model-a", "model-namespace", geometry: "hyperboloid", dimension: 12));
        Assert.Equal(Geometry.Lorentz, c.Geometry);
        Assert.Equal(12, c.Dimension);
        Assert.Equal(13, c.AmbientDimension);
        Assert.Equal("model-namespace", c.Namespace);
    }

    [Theory]
    [InlineData("hvs_binding.geometry", "\"sphere\"")]
    [InlineData("hvs_binding.dimension", "0")]
    [InlineData("hvs_binding.dimension", "-3")]
    [InlineData("vector_spec.output_dimension", "7")]
    [InlineData("permissions.write_namespaces", "[]")]
    [InlineData("resource_limits.max_vectors_per_second", "0")]
    [InlineData("communication_protocol.max_message_size_bytes", "\"big\"")]
    [InlineData("model.id", "\"Has Spaces\"")]
    [InlineData("health_check.timeout_seconds", "60")]
    [InlineData("contract_version", "\"2.0.0\"")]
    public void A_bad_field_is_refused_naming_it(string path, string value)
    {
        var contract = Fixtures.Contract("model-a", "ns-a");
        var parts = path.Split('.');
        JsonObject parent = contract;
        foreach (var part in parts[..^1])
        {
            parent = (JsonObject)parent[part]!;
        }

        parent[parts[^1]] = JsonNode.Parse(value);
        var e = Assert.Throws<ValidationException>(() => ContractParser.Parse(contract));
        Assert.Equal(path, e.Field);
    }

    [Fact]
    public void A_missing_section_is_named()
    {
        var contract = Fixtures.Contract("model-a", "ns-a");
        contract.Remove("resource_limits");
        Assert.Equal("resource_limits", Assert.Throws<ValidationException>(() => ContractParser.Parse(contract)).Field);
    }

    [Fact]
    public void The_published_schema_accepts_a_valid_contract_and_rejects_what_the_parser_rejects()
    {
        var schema = JsonSchema.FromText(ContractSchema.Json);
        Assert.True(schema.Evaluate(Fixtures.Contract("model-a", "ns-a")).IsValid);
        var bad = Fixtures.Contract("model-a", "ns-a");
        ((JsonObject)bad["hvs_binding"]!)["geometry"] = "sphere";
        Assert.False(schema.Evaluate(bad).IsValid);
        var empty = Fixtures.Contract("model-a", "ns-a");
        ((JsonObject)empty["permissions"]!)["write_namespaces"] = new JsonArray();
        Assert.False(schema.Evaluate(empty).IsValid);
    }
}
