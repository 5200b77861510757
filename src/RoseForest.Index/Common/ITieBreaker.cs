namespace RoseForest.Index.Common;

/// <summary>Orders two slots whose distances are equal, so results are deterministic (lower point id first).</summary>
internal interface ITieBreaker
{
    int Compare(int slotA, int slotB);
}

/// <summary>Breaks ties by slot number.</summary>
internal readonly struct SlotOrder : ITieBreaker
{
    public int Compare(int slotA, int slotB) => slotA.CompareTo(slotB);
}
