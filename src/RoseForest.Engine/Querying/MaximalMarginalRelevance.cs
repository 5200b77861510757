namespace RoseForest.Engine.Querying;

/// <summary>
/// Qdrant's MMR re-ranking (its <c>query/mmr</c>): first the most relevant candidate, then
/// repeatedly the one with the best λ·relevance − (1 − λ)·(its highest similarity to those
/// already picked), with raw similarities. The picked points keep their nearest scores.
/// </summary>
internal static class MaximalMarginalRelevance
{
    public static List<Hit> Select(QuerySpace space, QueryVector query, List<Hit> candidates, double lambda, int limit)
    {
        var pool = candidates.Where(h => space.Has(h.Slot)).DistinctBy(h => h.Slot).ToList();
        if (pool.Count < 2)
        {
            return pool;
        }

        var relevance = pool.Select(h => space.Similarity(query, h.Slot)).ToArray();
        var maxToSelected = new double[pool.Count];
        Array.Fill(maxToSelected, double.NegativeInfinity);
        var taken = new bool[pool.Count];
        var result = new List<Hit>(Math.Min(limit, pool.Count));
        while (result.Count < limit && result.Count < pool.Count)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var score = result.Count == 0 ? relevance[i] : (lambda * relevance[i]) - ((1 - lambda) * maxToSelected[i]);
                if (best < 0 || score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            taken[best] = true;
            result.Add(pool[best]);
            for (var i = 0; i < pool.Count; i++)
            {
                if (!taken[i])
                {
                    maxToSelected[i] = Math.Max(maxToSelected[i], space.SlotSimilarity(pool[i].Slot, pool[best].Slot));
                }
            }
        }

        return result;
    }
}
