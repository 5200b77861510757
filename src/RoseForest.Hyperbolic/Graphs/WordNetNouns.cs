using System.Globalization;
using RoseForest.Core;

namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// WordNet's noun synsets read straight from the Princeton database files that Debian's
/// <c>wordnet-base</c> installs (<c>data.noun</c> and <c>index.noun</c>). A synset is named the
/// way NLTK names it: its first lemma in lower case, <c>.n.</c>, and the two-digit sense number of
/// that lemma (its position in the lemma's <c>index.noun</c> line), e.g. <c>dog.n.01</c>.
/// Only the hypernym (<c>@</c>) and instance-hypernym (<c>@i</c>) pointers are kept.
/// </summary>
internal sealed class WordNetNouns
{
    /// <summary>Where Debian's wordnet-base puts the database.</summary>
    public const string DefaultDirectory = "/usr/share/wordnet";

    private WordNetNouns(string[] names, int[][] hypernyms, int[][] instanceHypernyms)
    {
        Names = names;
        Hypernyms = hypernyms;
        InstanceHypernyms = instanceHypernyms;
    }

    /// <summary>The synset names, by synset number (file order of <c>data.noun</c>).</summary>
    public string[] Names { get; }

    /// <summary>The <c>@</c> pointers of each synset.</summary>
    public int[][] Hypernyms { get; }

    /// <summary>The <c>@i</c> pointers of each synset.</summary>
    public int[][] InstanceHypernyms { get; }

    public int Count => Names.Length;

    public static WordNetNouns Load(string directory = DefaultDirectory)
    {
        var dataPath = Path.Combine(directory, "data.noun");
        var indexPath = Path.Combine(directory, "index.noun");
        if (!File.Exists(dataPath) || !File.Exists(indexPath))
        {
            throw new ValidationException("wordnet", $"WordNet 3.0 noun files not found in {directory} (install Debian's wordnet-base: apt-get install wordnet-base).");
        }

        var senses = ReadSenseNumbers(indexPath);
        var byOffset = new Dictionary<long, int>();
        var firstLemmas = new List<string>();
        var offsets = new List<long>();
        var pointers = new List<(int From, long To, bool Instance)>();
        foreach (var line in File.ReadLines(dataPath))
        {
            if (line.Length == 0 || line[0] == ' ')
            {
                continue; // the licence header
            }

            var fields = line.AsSpan(0, line.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0 ? bar : line.Length).ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var offset = long.Parse(fields[0], CultureInfo.InvariantCulture);
            var synset = offsets.Count;
            byOffset.Add(offset, synset);
            offsets.Add(offset);
            var wordCount = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            firstLemmas.Add(fields[4].ToLowerInvariant());
            var p = 4 + (2 * wordCount);
            var pointerCount = int.Parse(fields[p], CultureInfo.InvariantCulture);
            for (var k = 0; k < pointerCount; k++)
            {
                var symbol = fields[p + 1 + (4 * k)];
                var pos = fields[p + 3 + (4 * k)];
                if (pos == "n" && symbol is "@" or "@i")
                {
                    pointers.Add((synset, long.Parse(fields[p + 2 + (4 * k)], CultureInfo.InvariantCulture), symbol == "@i"));
                }
            }
        }

        var names = new string[offsets.Count];
        for (var s = 0; s < names.Length; s++)
        {
            var lemma = firstLemmas[s];
            if (!senses.TryGetValue((lemma, offsets[s]), out var sense))
            {
                throw new InvalidDataException($"{indexPath} has no sense of '{lemma}' for synset {offsets[s]:D8}.");
            }

            names[s] = $"{lemma}.n.{sense:D2}";
        }

        var hyper = new List<int>[names.Length];
        var instance = new List<int>[names.Length];
        for (var s = 0; s < names.Length; s++)
        {
            hyper[s] = [];
            instance[s] = [];
        }

        foreach (var (from, to, isInstance) in pointers)
        {
            (isInstance ? instance : hyper)[from].Add(byOffset[to]);
        }

        return new WordNetNouns(names, [.. hyper.Select(l => l.ToArray())], [.. instance.Select(l => l.ToArray())]);
    }

    /// <summary>(lemma, synset offset) → 1-based sense number, from index.noun's offset lists.</summary>
    private static Dictionary<(string Lemma, long Offset), int> ReadSenseNumbers(string indexPath)
    {
        var senses = new Dictionary<(string, long), int>();
        foreach (var line in File.ReadLines(indexPath))
        {
            if (line.Length == 0 || line[0] == ' ')
            {
                continue;
            }

            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var synsetCount = int.Parse(f[2], CultureInfo.InvariantCulture);
            var pointerCount = int.Parse(f[3], CultureInfo.InvariantCulture);
            var first = 4 + pointerCount + 2;
            for (var k = 0; k < synsetCount; k++)
            {
                senses[(f[0], long.Parse(f[first + k], CultureInfo.InvariantCulture))] = k + 1;
            }
        }

        return senses;
    }
}
