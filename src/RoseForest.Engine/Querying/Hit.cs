namespace RoseForest.Engine.Querying;

/// <summary>A scored slot between the stages of a query (slots are stable while the query holds the read lock).</summary>
/// <param name="Slot">The point's slot.</param>
/// <param name="Score">Its score at this stage.</param>
/// <param name="Order">The payload value it was ordered by (order-by stages).</param>
internal readonly record struct Hit(int Slot, double Score, OrderValue? Order = null);
