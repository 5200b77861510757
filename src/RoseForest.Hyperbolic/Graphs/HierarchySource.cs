using RoseForest.Core;

namespace RoseForest.Hyperbolic.Graphs;

/// <summary>Where a hierarchy comes from: an edge-list file, or one of the two WordNet graphs.</summary>
internal static class HierarchySource
{
    /// <summary>The file name of the reference mammal filter, looked for under <c>shared/data/</c>.</summary>
    public const string MammalFilterFileName = "mammals_filter.txt";

    /// <summary>Loads <c>mammals</c> or <c>nouns</c> from the WordNet files in <paramref name="wordnetDirectory"/>.</summary>
    public static Digraph LoadWordNet(string which, string wordnetDirectory = WordNetNouns.DefaultDirectory, string? mammalFilterPath = null)
    {
        var nouns = HypernymClosure.NounEdges(WordNetNouns.Load(wordnetDirectory));
        return which.ToUpperInvariant() switch
        {
            "NOUNS" => Digraph.FromEdges(nouns),
            "MAMMALS" => Digraph.FromEdges(HypernymClosure.MammalEdges(nouns, File.ReadLines(mammalFilterPath ?? FindMammalFilter()))),
            _ => throw new ValidationException("wordnet", $"expected 'mammals' or 'nouns', got '{which}'."),
        };
    }

    /// <summary>
    /// The reference mammal filter: <c>$ROSEFOREST_MAMMAL_FILTER</c>, else the first
    /// <c>shared/data/mammals_filter.txt</c> found walking up from the working folder or from the
    /// program's folder (the shared folder sits beside the repository).
    /// </summary>
    public static string FindMammalFilter()
    {
        if (Environment.GetEnvironmentVariable("ROSEFOREST_MAMMAL_FILTER") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", MammalFilterFileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new ValidationException("mammal_filter", $"the reference mammal filter was not found: set ROSEFOREST_MAMMAL_FILTER or pass its path (shared/data/{MammalFilterFileName}).");
    }
}
