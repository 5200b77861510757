using RoseForest.Core;

namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// Reads a directed edge list: one edge per line, <c>from</c> and <c>to</c> separated by a tab,
/// a comma or spaces (TSV, CSV). Blank lines and lines starting with '#' are skipped; a first line
/// <c>id1,id2[,weight]</c> is taken as a header; columns after the second (a weight) are ignored.
/// </summary>
internal static class EdgeListReader
{
    public static Digraph Read(string path) => Digraph.FromEdges(ReadEdges(path));

    public static IEnumerable<(string From, string To)> ReadEdges(string path)
    {
        if (!File.Exists(path))
        {
            throw new ValidationException("edges", $"no such file: {path}");
        }

        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(line.Contains('\t', StringComparison.Ordinal) ? ['\t'] : line.Contains(',', StringComparison.Ordinal) ? [','] : [' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length < 2)
            {
                throw new ValidationException("edges", $"{path}:{lineNumber}: expected two node names, got '{line}'.");
            }

            if (lineNumber == 1 && parts[0] == "id1" && parts[1] == "id2")
            {
                continue;
            }

            yield return (parts[0], parts[1]);
        }
    }
}
