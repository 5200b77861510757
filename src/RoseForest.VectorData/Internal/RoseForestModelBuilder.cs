using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace RoseForest.VectorData.Internal;

/// <summary>
/// Builds and checks the MEVD model of a record type for RoseForest: keys are point ids (ulong or
/// Guid, Guids may be generated), data properties become payload keys, vector properties dense
/// vectors (one or several), at least one vector (a RoseForest collection needs one).
/// </summary>
internal sealed class RoseForestModelBuilder(bool? hasNamedVectors) : CollectionModelBuilder(BuildingOptions)
{
    internal const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float> or float[]";

    private static readonly CollectionModelBuildingOptions BuildingOptions = new()
    {
        RequiresAtLeastOneVector = true,
        SupportsMultipleVectors = true,
    };

    private static readonly HashSet<Type> ScalarTypes =
    [
        typeof(string), typeof(int), typeof(long), typeof(short), typeof(byte), typeof(double), typeof(float),
        typeof(decimal), typeof(bool), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly),
    ];

    protected override void Validate(Type? type, VectorStoreCollectionDefinition? definition)
    {
        base.Validate(type, definition);
        if (hasNamedVectors == false && VectorProperties.Count > 1)
        {
            throw new InvalidOperationException(
                $"The record has {VectorProperties.Count} vector properties, but HasNamedVectors is false: the unnamed vector holds one. Set HasNamedVectors to true (or leave it unset).");
        }
    }

    protected override void ValidateKeyProperty(KeyPropertyModel keyProperty)
    {
        base.ValidateKeyProperty(keyProperty);
        if (keyProperty.Type != typeof(ulong) && keyProperty.Type != typeof(Guid))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.ModelName}' has type '{keyProperty.Type.Name}'; RoseForest point ids are ulong or Guid.");
        }
    }

    protected override bool SupportsKeyAutoGeneration(Type keyPropertyType) => keyPropertyType == typeof(Guid);

    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = "string, int, long, short, byte, double, float, decimal, bool, Guid, DateTime, DateTimeOffset, DateOnly (nullable or not), or arrays and lists of these";
        return IsScalar(type)
            || (type.IsArray && IsScalar(type.GetElementType()!))
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsScalar(type.GenericTypeArguments[0]));
    }

    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes) =>
        IsNativeVectorType(type, out supportedTypes);

    internal static bool IsNativeVectorType(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?) ||
               type == typeof(Embedding<float>) || type == typeof(float[]);
    }

    private static bool IsScalar(Type type) => ScalarTypes.Contains(Nullable.GetUnderlyingType(type) ?? type);
}
