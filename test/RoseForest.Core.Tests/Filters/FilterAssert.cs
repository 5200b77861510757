using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Core.Tests.Filters;

/// <summary>Evaluates one condition against a payload written as JSON text.</summary>
internal static class FilterAssert
{
    public static bool Holds(Condition condition, string payload, ulong id = 1) =>
        Filter.Where(condition).Matches(PointId.FromNumber(id), payload == "none" ? null : JsonElement.Parse(payload));
}
