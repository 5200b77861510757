namespace RoseForest.Index.Common;

/// <summary>
/// Decides which slots a search may return. A struct implementation lets the JIT inline the
/// no-filter case away.
/// </summary>
internal interface ISlotFilter
{
    bool Allows(int slot);
}

/// <summary>Allows every slot the caller already considers live.</summary>
internal readonly struct AllowAll : ISlotFilter
{
    public bool Allows(int slot) => true;
}
