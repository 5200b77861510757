namespace RoseForest.Knowledge.Crdt;

/// <summary>One immutable entry of a dot store: made once, by the mutation its dot names.</summary>
internal readonly record struct KernelEntry<TKey, TValue>(Dot Dot, TKey Key, TValue Value, HlcTimestamp Stamp);
