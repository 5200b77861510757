namespace RoseForest.Embeddings.Bench;

/// <summary>The sentences to embed: WordNet noun glosses when installed, else seeded generated ones.</summary>
internal static class Corpus
{
    public const string WordNetNouns = "/usr/share/wordnet/data.noun";

    public static (string Source, string[] Sentences) Load(string path, int count, int seed)
    {
        if (File.Exists(path))
        {
            return ($"wordnet glosses ({path})", WordNetGlosses(path, count));
        }
        return ($"generated (seed {seed})", Generated(count, seed));
    }

    /// <summary>
    /// Every k-th gloss of the file, so the sample spans all lexicographer files rather than the
    /// first few. A data line is "offset lexfile pos words... | gloss"; licence lines start with spaces.
    /// </summary>
    private static string[] WordNetGlosses(string path, int count)
    {
        var glosses = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith(' '))
            {
                continue;
            }
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            if (bar > 0)
            {
                glosses.Add(line[(bar + 3)..].Trim());
            }
        }
        int stride = Math.Max(1, glosses.Count / count);
        return [.. glosses.Where((_, i) => i % stride == 0).Take(count)];
    }

    private static string[] Generated(int count, int seed)
    {
        string[] subjects = ["the user", "a colleague", "my sister", "the agent", "our team", "the customer", "a neighbour"];
        string[] verbs = ["prefers", "mentioned", "forgot", "asked about", "booked", "cancelled", "reviewed"];
        string[] objects = ["green tea in the morning", "the quarterly report", "a flight to Lisbon", "the dentist appointment",
            "the new database schema", "a birthday present for Sam", "the heating repair"];
        string[] tails = ["", " last week", " yesterday", " before the meeting", " because of the weather", " twice this month"];
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
            $"{Pick(subjects)} {Pick(verbs)} {Pick(objects)}{Pick(tails)}.")];

        string Pick(string[] words) => words[random.Next(words.Length)];
    }
}
