namespace RoseForest.VectorData.Internal;

/// <summary>MEVD keys ↔ RoseForest point ids.</summary>
internal static class Keys
{
    public static PointId ToPointId(object? key) => key switch
    {
        ulong n => PointId.FromNumber(n),
        Guid g => PointId.FromUuid(g),
        null => throw new ArgumentNullException(nameof(key)),
        _ => throw new NotSupportedException($"Key type '{key.GetType().Name}' is not supported; RoseForest point ids are ulong or Guid."),
    };

    public static object FromPointId(PointId id, Type keyType)
    {
        if (keyType == typeof(Guid))
        {
            return id.IsUuid ? id.Uuid : throw new InvalidOperationException($"Point {id} has a numeric id, but the record's key is a Guid.");
        }

        return !id.IsUuid ? id.Number : throw new InvalidOperationException($"Point {id} has a UUID id, but the record's key is a ulong.");
    }
}
