using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Internal;

/// <summary>Applies a <see cref="PayloadSelector"/> to a stored payload.</summary>
internal static class PayloadSelection
{
    public static JsonElement? Apply(this PayloadSelector selector, JsonElement? payload)
    {
        if (!selector.Enabled || payload is not { } p)
        {
            return null;
        }

        if (selector.Paths.Count == 0)
        {
            return selector.IsInclude ? Payload.Empty : p;
        }

        return selector.IsInclude ? Payload.Project(p, selector.Paths) : Payload.DeleteKeys(p, selector.Paths);
    }
}
