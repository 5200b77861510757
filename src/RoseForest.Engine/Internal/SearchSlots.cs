using RoseForest.Core.Filters;
using RoseForest.Index.Common;

namespace RoseForest.Engine.Internal;

/// <summary>Allows live slots.</summary>
internal readonly struct LiveSlots(PointTable table) : ISlotFilter
{
    public bool Allows(int slot) => table.IsLive(slot);
}

/// <summary>Allows live slots whose point passes the filter.</summary>
internal readonly struct FilteredSlots(PointTable table, Filter filter) : ISlotFilter
{
    public bool Allows(int slot) => table.IsLive(slot) && filter.Matches(table.IdAt(slot), table.PayloadAt(slot));
}

/// <summary>Equal distances rank the lower point id first.</summary>
internal readonly struct IdOrder(PointTable table) : ITieBreaker
{
    public int Compare(int slotA, int slotB) => table.IdAt(slotA).CompareTo(table.IdAt(slotB));
}
