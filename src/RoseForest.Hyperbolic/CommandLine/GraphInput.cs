using System.CommandLine;
using RoseForest.Core;
using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>The options that name a graph (--wordnet mammals|nouns or --edges FILE) and loading it.</summary>
internal sealed class GraphInput
{
    public Option<string?> WordNet { get; } = new("--wordnet") { Description = "Use a WordNet noun hierarchy: 'mammals' (1,180 nodes), 'nouns' (82,115 nodes) or the subtree under a noun synset, e.g. 'artifact.n.01'." };

    public Option<string?> Edges { get; } = new("--edges") { Description = "A directed edge list (TSV or CSV: from, to[, weight])." };

    public Option<string> WordNetDir { get; } = new("--wordnet-dir") { Description = "Folder with WordNet 3.0's data.noun and index.noun.", DefaultValueFactory = _ => WordNetNouns.DefaultDirectory };

    public Option<string?> MammalFilter { get; } = new("--mammal-filter") { Description = "The reference mammal filter (default: shared/data/mammals_filter.txt found above the working folder, else the built-in patterns)." };

    public void AddTo(Command command)
    {
        command.Options.Add(WordNet);
        command.Options.Add(Edges);
        command.Options.Add(WordNetDir);
        command.Options.Add(MammalFilter);
    }

    /// <summary>A short name of the input for reports: "wordnet-mammals", "wordnet-nouns" or the file name.</summary>
    public string Describe(ParseResult parse) => parse.GetValue(WordNet) is { } w ? "wordnet-" + w.ToLowerInvariant() : Path.GetFileName(parse.GetValue(Edges) ?? "?");

    public Digraph Load(ParseResult parse)
    {
        var wordnet = parse.GetValue(WordNet);
        var edges = parse.GetValue(Edges);
        if ((wordnet is null) == (edges is null))
        {
            throw new ValidationException("input", "give exactly one of --wordnet mammals|nouns and --edges FILE.");
        }

        return wordnet is not null
            ? HierarchySource.LoadWordNet(wordnet, parse.GetValue(WordNetDir)!, parse.GetValue(MammalFilter))
            : EdgeListReader.Read(edges!);
    }
}
