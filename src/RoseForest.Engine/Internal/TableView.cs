using System.Text.Json;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A frozen copy of a <see cref="PointTable"/>'s metadata at one LSN, with its (pinned) vectors
/// and its HNSW graph images: what a background snapshot writes.
/// </summary>
/// <param name="SlotCount">Slots in use (live, dead or free) below the high-water mark.</param>
/// <param name="Live">Slots holding a point.</param>
/// <param name="Dead">Slots that are graph tombstones: not points any more, but their vectors route searches.</param>
/// <param name="Ids">Each slot's point id.</param>
/// <param name="Payloads">Each slot's payload.</param>
/// <param name="Versions">Each slot's version (LSN).</param>
/// <param name="Table">The table, pinned: vector rows of these slots do not change until unpinned (multi and sparse rows are replaced, never mutated).</param>
/// <param name="GraphImages">Each dense space's serialized graph, or null without one.</param>
internal sealed record TableView(int SlotCount, bool[] Live, bool[] Dead, PointId[] Ids, JsonElement?[] Payloads, long[] Versions, PointTable Table, byte[]?[] GraphImages);
