using System.Text.Json.Nodes;

namespace RoseForest.Communication.Contracts;

/// <summary>
/// A model's contract in the HVS <c>model_contract_hvs.json</c> shape, validated by
/// <see cref="ContractParser"/>. <see cref="Document"/> is the contract as sent (so fields this
/// server does not interpret, such as the encoder's layers, are kept); the typed properties are
/// what the server acts on.
/// </summary>
public sealed class ModelContract
{
    /// <summary>The contract as sent (validated).</summary>
    public required JsonObject Document { get; init; }

    /// <summary><c>contract_version</c>.</summary>
    public required string ContractVersion { get; init; }

    /// <summary><c>model.id</c>: the model's stable id (lower-case letters, digits, '-', '_', '.').</summary>
    public required string ModelId { get; init; }

    /// <summary><c>model.name</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>model.version</c>.</summary>
    public required string ModelVersion { get; init; }

    /// <summary><c>model.type</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>model.capabilities</c>.</summary>
    public required IReadOnlyList<string> Capabilities { get; init; }

    /// <summary><c>hvs_binding.namespace</c>: the model's home namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary><c>hvs_binding.geometry</c> as written (poincare, hyperboloid, euclidean, lorentzian).</summary>
    public required string GeometryName { get; init; }

    /// <summary>The RoseForest geometry <see cref="GeometryName"/> maps to.</summary>
    public required Geometry Geometry { get; init; }

    /// <summary><c>hvs_binding.dimension</c>: the manifold's intrinsic dimension n.</summary>
    public required int Dimension { get; init; }

    /// <summary>How many coordinates a vector has: n, or n + 1 on the hyperboloid (x0 and n spatial ones).</summary>
    public int AmbientDimension => Geometry == Geometry.Lorentz ? Dimension + 1 : Dimension;

    /// <summary><c>communication_protocol.max_message_size_bytes</c>.</summary>
    public required int MaxMessageBytes { get; init; }

    /// <summary><c>permissions.read_namespaces</c> ("*" for all).</summary>
    public required IReadOnlyList<string> ReadNamespaces { get; init; }

    /// <summary><c>permissions.write_namespaces</c> ("*" for all).</summary>
    public required IReadOnlyList<string> WriteNamespaces { get; init; }

    /// <summary><c>permissions.broadcast</c>.</summary>
    public required bool MayBroadcast { get; init; }

    /// <summary><c>permissions.query_other_models</c>.</summary>
    public required bool MayQueryOtherModels { get; init; }

    /// <summary><c>resource_limits.max_vectors_per_second</c>.</summary>
    public required double MaxVectorsPerSecond { get; init; }

    /// <summary><c>resource_limits.max_queries_per_second</c>.</summary>
    public required double MaxQueriesPerSecond { get; init; }

    /// <summary><c>resource_limits.max_storage_mb</c>.</summary>
    public required double MaxStorageMb { get; init; }

    /// <summary>True when the contract's permissions ask to read <paramref name="ns"/>.</summary>
    public bool AsksToRead(string ns) => ReadNamespaces.Any(n => n == "*" || n == ns);

    /// <summary>True when the contract's permissions ask to write <paramref name="ns"/>.</summary>
    public bool AsksToWrite(string ns) => WriteNamespaces.Any(n => n == "*" || n == ns);
}
