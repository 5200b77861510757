using RoseForest.Core;

namespace RoseForest.Hyperbolic.Graphs;

/// <summary>Where a hierarchy comes from: an edge-list file, or one of the two WordNet graphs.</summary>
internal static class HierarchySource
{
    /// <summary>The file name of the reference mammal filter, looked for under <c>shared/data/</c>.</summary>
    public const string MammalFilterFileName = "mammals_filter.txt";

    /// <summary>
    /// Loads <c>mammals</c>, <c>nouns</c>, or the closure of the subtree under any noun synset
    /// (e.g. <c>artifact.n.01</c>, 10,699 nodes: a mid-sized graph for trying training settings
    /// in minutes) from the WordNet files in <paramref name="wordnetDirectory"/>.
    /// </summary>
    public static Digraph LoadWordNet(string which, string wordnetDirectory = WordNetNouns.DefaultDirectory, string? mammalFilterPath = null)
    {
        var nouns = HypernymClosure.NounEdges(WordNetNouns.Load(wordnetDirectory));
        return which.ToUpperInvariant() switch
        {
            "NOUNS" => Digraph.FromEdges(nouns),
            "MAMMALS" => Digraph.FromEdges(HypernymClosure.MammalEdges(nouns, mammalFilterPath is null ? MammalFilter() : File.ReadLines(mammalFilterPath))),
            _ when which.Contains(".n.", StringComparison.Ordinal) => Subtree(nouns, which),
            _ => throw new ValidationException("wordnet", $"expected 'mammals', 'nouns' or a noun synset such as 'artifact.n.01', got '{which}'."),
        };
    }

    private static Digraph Subtree(List<(string From, string To)> nouns, string root)
    {
        var edges = HypernymClosure.SubtreeEdges(nouns, root);
        return edges.Count > 0
            ? Digraph.FromEdges(edges)
            : throw new ValidationException("wordnet", $"'{root}' is not a noun synset with hyponyms in this WordNet.");
    }

    /// <summary>
    /// The reference mammal filter's patterns: <c>$ROSEFOREST_MAMMAL_FILTER</c>, else the first
    /// <c>shared/data/mammals_filter.txt</c> found walking up from the working folder or from the
    /// program's folder (the shared folder sits beside the repository), else <see cref="BuiltInMammalFilter"/>.
    /// </summary>
    public static IEnumerable<string> MammalFilter()
    {
        if (Environment.GetEnvironmentVariable("ROSEFOREST_MAMMAL_FILTER") is { Length: > 0 } fromEnv)
        {
            return File.ReadLines(fromEnv);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", MammalFilterFileName);
                if (File.Exists(candidate))
                {
                    return File.ReadLines(candidate);
                }
            }
        }

        return BuiltInMammalFilter;
    }

    /// <summary>
    /// The reference filter's patterns, for a checkout without the shared folder: WordNet
    /// identifiers (the ancestors of mammal.n.01 and a few role and age categories), applied as
    /// <see cref="HypernymClosure.MammalEdges"/> applies any filter. The WordNet tests check that
    /// they give the reference's 1,180 nodes and 6,540 edges, as the shared file does.
    /// </summary>
    public static readonly string[] BuiltInMammalFilter =
    [
        @"\sentity.n.01", @"\sphysical_entity.n.01", @"\sobject.n.01", @"\swhole.n.02",
        @"\sliving_thing.n.01", @"\sorganism.n.01", @"\sanimal.n.01", @"\schordate.n.01",
        @"\svertebrate.n.01", @"\sabstraction.n.06", @"\sgroup.n.01", @"\sfemale.n.01",
        @"\smale.n.01", @"\syoung.n.01", @"\syoung_mammal.n.01", @"\scub.n.03", @"\spup.n.01",
        @"\sbeast_of_burden.n.01", @"\swork_animal.n.01", @"\sdomestic_animal.n.01",
        @"\sracer.n.03", @"\sfissipedia.n.01", @"^tusker.n.01", @"^female_mammal.n.01",
    ];
}
