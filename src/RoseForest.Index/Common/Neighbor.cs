namespace RoseForest.Index.Common;

/// <summary>A candidate: a slot and its lower-is-better proxy distance.</summary>
internal readonly record struct Neighbor(float Distance, int Slot);
