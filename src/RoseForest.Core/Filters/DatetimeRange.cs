using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>
/// Bounds gt, gte, lt, lte on a datetime; null bounds are open. A payload value is tested when it
/// is a string that parses as <see cref="FilterDateTime.TryParse(string?, out FilterDateTime)"/>
/// does (the same forms as the bounds), compared as instants; other values never match.
/// </summary>
public readonly record struct DatetimeRange(FilterDateTime? Gt = null, FilterDateTime? Gte = null, FilterDateTime? Lt = null, FilterDateTime? Lte = null)
{
    /// <summary>True when t lies within every bound.</summary>
    public bool Contains(FilterDateTime t) =>
        (Gt is not { } gt || t > gt) &&
        (Gte is not { } gte || t >= gte) &&
        (Lt is not { } lt || t < lt) &&
        (Lte is not { } lte || t <= lte);

    internal bool Test(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        FilterDateTime t;
        if (JsonText.TryGetUtf8(value, out var utf8))
        {
            if (!FilterDateTime.TryParse(utf8, out t))
            {
                return false;
            }
        }
        else if (!FilterDateTime.TryParse(value.GetString(), out t))
        {
            return false;
        }

        return Contains(t);
    }
}
