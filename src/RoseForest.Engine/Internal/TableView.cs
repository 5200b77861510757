using System.Text.Json;
using RoseForest.Index.Storage;

namespace RoseForest.Engine.Internal;

/// <summary>
/// A frozen copy of a <see cref="PointTable"/>'s metadata at one LSN, with its (pinned) vectors:
/// what a background snapshot writes.
/// </summary>
internal sealed record TableView(int SlotCount, bool[] Live, PointId[] Ids, JsonElement?[] Payloads, long[] Versions, VectorStore Vectors);
