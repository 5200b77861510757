namespace RoseForest.Datasets;

/// <summary>One noun synset of WordNet 3.0: its lemmas (underscores as spaces) and its gloss.</summary>
public sealed record Synset(string[] Lemmas, string Gloss);

/// <summary>
/// Reads Debian wordnet-base's <c>data.noun</c>. A data line is
/// <c>offset lex_filenum n w_cnt(hex) word lex_id [word lex_id ...] p_cnt ... | gloss</c>; the
/// licence lines at the top start with spaces.
/// </summary>
public static class WordNetGlosses
{
    /// <summary>Where Debian's wordnet-base puts the noun data file.</summary>
    public const string DefaultPath = "/usr/share/wordnet/data.noun";

    /// <summary>Every noun synset of the file, in file order.</summary>
    public static List<Synset> Read(string path)
    {
        var synsets = new List<Synset>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == ' ')
            {
                continue;
            }

            var bar = line.IndexOf(" | ", StringComparison.Ordinal);
            if (bar < 0)
            {
                continue;
            }

            var fields = line[..bar].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var count = Convert.ToInt32(fields[3], 16);
            var lemmas = new string[count];
            for (var i = 0; i < count; i++)
            {
                lemmas[i] = fields[4 + (2 * i)].Replace('_', ' ');
            }

            synsets.Add(new Synset(lemmas, line[(bar + 3)..].Trim()));
        }

        return synsets;
    }
}
