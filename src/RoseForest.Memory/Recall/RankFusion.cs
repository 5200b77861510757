namespace RoseForest.Memory;

/// <summary>
/// Fuses the signals of a hybrid search into one score per candidate. RRF ranks the candidates by
/// each signal (vector similarity over all of them; BM25 over those whose words cover at least
/// <see cref="FusionOptions.KeywordMinCoverage"/> of the query's idf weight; recency by valid_from;
/// importance by a numeric metadata.importance, ties by access count) and adds
/// <c>weight / (k + rank)</c>; the linear method adds <c>weight × signal</c> with each signal
/// scaled to [0, 1] over the candidates.
/// </summary>
internal static class RankFusion
{
    public static void Fuse(List<RecallCandidate> candidates, RecallMode mode, FusionOptions fusion)
    {
        foreach (var c in candidates)
        {
            c.Fused = 0;
        }

        if (mode == RecallMode.Vector)
        {
            foreach (var c in candidates)
            {
                c.Fused = c.Vector;
            }

            return;
        }

        if (mode == RecallMode.Keyword)
        {
            foreach (var c in candidates)
            {
                c.Fused = c.Keyword;
            }

            return;
        }

        if (fusion.Method == RecallFusion.Rrf)
        {
            AddRanks(candidates, c => c.Vector, fusion.Vector, fusion.RrfK, c => true);
            AddRanks(candidates, c => c.Keyword, fusion.Keyword, fusion.RrfK, c => c.Keyword > 0 && c.Coverage >= fusion.KeywordMinCoverage);
            AddRanks(candidates, c => c.Memory.ValidFrom, fusion.Recency, fusion.RrfK, c => true);
            AddRanks(candidates, c => c.Importance + (c.Memory.AccessCount * 1e-12), fusion.Importance, fusion.RrfK, c => c.Importance > 0);
            return;
        }

        AddScaled(candidates, c => Math.Max(0, c.Vector), fusion.Vector);
        AddScaled(candidates, c => c.Coverage >= fusion.KeywordMinCoverage ? c.Keyword : 0, fusion.Keyword);
        AddScaled(candidates, c => c.Memory.ValidFrom, fusion.Recency, fromMinimum: true);
        AddScaled(candidates, c => c.Importance, fusion.Importance);
    }

    private static void AddRanks(List<RecallCandidate> candidates, Func<RecallCandidate, double> signal, double weight, double k, Func<RecallCandidate, bool> ranked)
    {
        if (weight == 0)
        {
            return;
        }

        var list = candidates.Where(ranked).ToList();
        list.Sort((x, y) =>
        {
            var c = signal(y).CompareTo(signal(x));
            return c != 0 ? c : x.Memory.Id.CompareTo(y.Memory.Id);
        });
        for (var i = 0; i < list.Count; i++)
        {
            list[i].Fused += weight / (k + i + 1);
        }
    }

    private static void AddScaled(List<RecallCandidate> candidates, Func<RecallCandidate, double> signal, double weight, bool fromMinimum = false)
    {
        if (weight == 0 || candidates.Count == 0)
        {
            return;
        }

        var max = candidates.Max(signal);
        var min = fromMinimum ? candidates.Min(signal) : 0;
        if (max - min <= 0)
        {
            return;
        }

        foreach (var c in candidates)
        {
            c.Fused += weight * (signal(c) - min) / (max - min);
        }
    }
}
