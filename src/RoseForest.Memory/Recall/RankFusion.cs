namespace RoseForest.Memory;

/// <summary>
/// Fuses the signals of a hybrid search into one score per candidate. RRF ranks the candidates by
/// each signal (vector similarity over all of them; BM25 over those sharing a term; recency by
/// valid_from; importance by metadata.importance, then access count) and adds
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

        if (fusion.Method == FusionMethod.Rrf)
        {
            AddRanks(candidates, c => c.Vector, fusion.Vector, fusion.RrfK, requirePositive: false);
            AddRanks(candidates, c => c.Keyword, fusion.Keyword, fusion.RrfK, requirePositive: true);
            AddRanks(candidates, c => c.Memory.ValidFrom, fusion.Recency, fusion.RrfK, requirePositive: false);
            AddRanks(candidates, c => c.Importance + (c.Memory.AccessCount * 1e-9), fusion.Importance, fusion.RrfK, requirePositive: true);
            return;
        }

        AddScaled(candidates, c => Math.Max(0, c.Vector), fusion.Vector);
        AddScaled(candidates, c => c.Keyword, fusion.Keyword);
        AddScaled(candidates, c => c.Memory.ValidFrom, fusion.Recency, fromMinimum: true);
        AddScaled(candidates, c => c.Importance, fusion.Importance);
    }

    private static void AddRanks(List<RecallCandidate> candidates, Func<RecallCandidate, double> signal, double weight, double k, bool requirePositive)
    {
        if (weight == 0)
        {
            return;
        }

        var ranked = candidates.Where(c => !requirePositive || signal(c) > 0).ToList();
        ranked.Sort((x, y) =>
        {
            var c = signal(y).CompareTo(signal(x));
            return c != 0 ? c : x.Memory.Id.CompareTo(y.Memory.Id);
        });
        for (var i = 0; i < ranked.Count; i++)
        {
            ranked[i].Fused += weight / (k + i + 1);
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
