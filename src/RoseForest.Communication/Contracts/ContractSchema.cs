namespace RoseForest.Communication.Contracts;

/// <summary>
/// The JSON Schema (draft 2020-12) of a model contract, served at <c>GET /contracts/schema</c>.
/// It states what <see cref="ContractParser"/> checks field by field; the parser also checks what
/// a schema cannot say plainly (output_dimension equals the binding's dimension, the health
/// check's timeout within its interval).
/// </summary>
public static class ContractSchema
{
    /// <summary>The schema's id.</summary>
    public const string Id = "https://roseforest.dev/schemas/model_contract_hvs_v1.json";

    /// <summary>The schema document.</summary>
    public const string Json = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://roseforest.dev/schemas/model_contract_hvs_v1.json",
      "title": "HVS model contract",
      "description": "How a model registers with RoseForest's model communication (issue 15). hvs_binding.dimension is the manifold's intrinsic dimension n; vectors have n coordinates, or n + 1 on the hyperboloid (hyperboloid and lorentzian map to RoseForest's lorentz geometry, poincare to poincare, euclidean to euclid).",
      "type": "object",
      "required": ["contract_version", "model", "hvs_binding", "vector_spec", "communication_protocol", "permissions", "resource_limits", "health_check"],
      "properties": {
        "$schema": { "type": "string", "minLength": 1, "maxLength": 512 },
        "contract_version": { "type": "string", "pattern": "^1(\\.\\d+){0,2}$" },
        "model": {
          "type": "object",
          "required": ["id", "name", "version", "type", "capabilities"],
          "properties": {
            "id": { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$" },
            "name": { "type": "string", "minLength": 1, "maxLength": 200 },
            "version": { "type": "string", "minLength": 1, "maxLength": 64 },
            "type": { "type": "string", "minLength": 1, "maxLength": 64 },
            "capabilities": { "type": "array", "items": { "type": "string", "minLength": 1, "maxLength": 128 } }
          }
        },
        "hvs_binding": {
          "type": "object",
          "required": ["hvs_id", "region", "namespace", "geometry", "dimension"],
          "properties": {
            "hvs_id": { "type": "string", "minLength": 1, "maxLength": 128 },
            "region": { "type": "string", "minLength": 1, "maxLength": 128 },
            "namespace": { "$ref": "#/$defs/namespace" },
            "geometry": { "enum": ["poincare", "hyperboloid", "euclidean", "lorentzian"] },
            "dimension": { "type": "integer", "minimum": 1, "maximum": 4096, "description": "intrinsic dimension n" },
            "dimension_kind": { "const": "intrinsic" }
          }
        },
        "vector_spec": {
          "type": "object",
          "required": ["input_dimension", "output_dimension", "encoding"],
          "properties": {
            "input_dimension": { "type": "integer", "minimum": 1, "maximum": 1048576 },
            "output_dimension": { "type": "integer", "minimum": 1, "maximum": 4096, "description": "equals hvs_binding.dimension" },
            "encoding": { "type": "string", "minLength": 1, "maxLength": 64 },
            "encoder": { "type": "object" },
            "decoder": { "type": "object" }
          }
        },
        "communication_protocol": {
          "type": "object",
          "required": ["message_format", "encoding", "max_message_size_bytes", "timeout_ms", "retry"],
          "properties": {
            "message_format": { "const": "json" },
            "encoding": { "enum": ["utf-8", "UTF-8"] },
            "max_message_size_bytes": { "type": "integer", "minimum": 1, "maximum": 16777216 },
            "timeout_ms": { "type": "integer", "minimum": 1, "maximum": 3600000 },
            "retry": {
              "type": "object",
              "required": ["max_attempts", "backoff_ms"],
              "properties": {
                "max_attempts": { "type": "integer", "minimum": 1, "maximum": 100 },
                "backoff_ms": {
                  "oneOf": [
                    { "type": "integer", "minimum": 0, "maximum": 3600000 },
                    { "type": "array", "items": { "type": "integer", "minimum": 0, "maximum": 3600000 } }
                  ]
                }
              }
            }
          }
        },
        "permissions": {
          "type": "object",
          "required": ["read_namespaces", "write_namespaces", "broadcast", "query_other_models"],
          "properties": {
            "read_namespaces": { "type": "array", "items": { "$ref": "#/$defs/namespaceOrAll" } },
            "write_namespaces": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/namespaceOrAll" } },
            "broadcast": { "type": "boolean" },
            "query_other_models": { "type": "boolean" }
          }
        },
        "resource_limits": {
          "type": "object",
          "required": ["max_vectors_per_second", "max_storage_mb", "max_queries_per_second"],
          "properties": {
            "max_vectors_per_second": { "type": "number", "exclusiveMinimum": 0 },
            "max_storage_mb": { "type": "number", "exclusiveMinimum": 0 },
            "max_queries_per_second": { "type": "number", "exclusiveMinimum": 0 }
          }
        },
        "health_check": {
          "type": "object",
          "required": ["endpoint", "interval_seconds", "timeout_seconds"],
          "properties": {
            "endpoint": { "type": "string", "minLength": 1, "maxLength": 512 },
            "interval_seconds": { "type": "integer", "minimum": 1, "maximum": 86400 },
            "timeout_seconds": { "type": "integer", "minimum": 1, "maximum": 86400 }
          }
        }
      },
      "$defs": {
        "namespace": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,23}$" },
        "namespaceOrAll": { "anyOf": [ { "const": "*" }, { "$ref": "#/$defs/namespace" } ] }
      }
    }
    """;
}
