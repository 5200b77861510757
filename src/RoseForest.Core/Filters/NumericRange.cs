using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>Bounds gt, gte, lt, lte on a number; null bounds are open.</summary>
internal readonly record struct NumericRange(double? Gt, double? Gte, double? Lt, double? Lte)
{
    public bool Contains(double x) =>
        (Gt is not { } gt || x > gt) &&
        (Gte is not { } gte || x >= gte) &&
        (Lt is not { } lt || x < lt) &&
        (Lte is not { } lte || x <= lte);

    public bool IsUnbounded => Gt is null && Gte is null && Lt is null && Lte is null;

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        Write(writer, "gt", Gt);
        Write(writer, "gte", Gte);
        Write(writer, "lt", Lt);
        Write(writer, "lte", Lte);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
