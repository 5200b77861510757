using RoseForest.Core.Filters;
using RoseForest.Index.Common;

namespace RoseForest.Engine.Internal;

/// <summary>Allows live slots that have the space's vector.</summary>
internal readonly struct LiveSlots(PointTable table, Spaces.DenseSpace space) : ISlotFilter
{
    public bool Allows(int slot) => table.IsLive(slot) && space.Has(slot);
}

/// <summary>Allows live slots that have the space's vector and whose point passes the filter.</summary>
internal readonly struct FilteredSlots(PointTable table, Spaces.DenseSpace space, Filter filter) : ISlotFilter
{
    public bool Allows(int slot) => table.IsLive(slot) && space.Has(slot) && table.Matches(filter, slot);
}

/// <summary>Equal distances rank the lower point id first.</summary>
internal readonly struct IdOrder(PointTable table) : ITieBreaker
{
    public int Compare(int slotA, int slotB) => table.IdAt(slotA).CompareTo(table.IdAt(slotB));
}
