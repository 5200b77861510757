using System.Text.RegularExpressions;

namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// The training graphs of Nickel &amp; Kiela built from WordNet nouns the way their reference
/// implementation builds them: an edge (u, h) for every synset u and every h reachable from u by
/// hypernym pointers, where an instance first follows its instance-hypernym pointers (WordNet 3.0:
/// 82,115 nodes, 743,086 edges); and the mammal subtree, the closure edges whose both ends are
/// mammal.n.01 or below it, less the edges the reference filter removes (1,180 nodes, 6,540 edges).
/// </summary>
internal static class HypernymClosure
{
    public const string MammalRoot = "mammal.n.01";

    /// <summary>
    /// The closure edges (hyponym, hypernym) of every noun synset: everything reachable from u by
    /// hypernym pointers, and, for an instance, every synset on its chains of instance-hypernym
    /// pointers together with everything reachable from those by hypernym pointers. (An @ step is
    /// never followed by an @i step, as in the reference; following both everywhere would give the
    /// 743,241 edges the 2017 paper counts instead of the 743,086 the reference code produces.)
    /// </summary>
    public static List<(string From, string To)> NounEdges(WordNetNouns wordnet)
    {
        var edges = new List<(string, string)>(800_000);
        var mark = new int[wordnet.Count];
        var instanceMark = new int[wordnet.Count];
        Array.Fill(mark, -1);
        Array.Fill(instanceMark, -1);
        var stack = new Stack<int>();
        var instanceChain = new List<int>();
        for (var s = 0; s < wordnet.Count; s++)
        {
            mark[s] = s;
            instanceMark[s] = s;
            instanceChain.Clear();
            instanceChain.Add(s);
            for (var i = 0; i < instanceChain.Count; i++)
            {
                foreach (var t in wordnet.InstanceHypernyms[instanceChain[i]])
                {
                    if (instanceMark[t] != s)
                    {
                        instanceMark[t] = s;
                        instanceChain.Add(t);
                    }
                }
            }

            foreach (var start in instanceChain)
            {
                if (start != s && mark[start] != s)
                {
                    mark[start] = s;
                    edges.Add((wordnet.Names[s], wordnet.Names[start]));
                }

                Push(wordnet.Hypernyms[start]);
                while (stack.Count > 0)
                {
                    var h = stack.Pop();
                    edges.Add((wordnet.Names[s], wordnet.Names[h]));
                    Push(wordnet.Hypernyms[h]);
                }
            }

            void Push(int[] targets)
            {
                foreach (var t in targets)
                {
                    if (mark[t] != s)
                    {
                        mark[t] = s;
                        stack.Push(t);
                    }
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// The mammal closure: edges of <paramref name="nounEdges"/> between members of the mammal set,
    /// dropping an edge when its line <c>"from to"</c> matches one of the filter's regular
    /// expressions at its start (the reference applies pandas' <c>str.match</c>, which anchors there).
    /// </summary>
    public static List<(string From, string To)> MammalEdges(IReadOnlyList<(string From, string To)> nounEdges, IEnumerable<string> filterLines) =>
        SubtreeEdges(nounEdges, MammalRoot, filterLines);

    /// <summary>
    /// The closure of the subtree under <paramref name="root"/>: edges of <paramref name="nounEdges"/>
    /// whose both ends are <paramref name="root"/> or below it, less those the filter's patterns
    /// match (none by default). The mammals are this with mammal.n.01 and the reference filter.
    /// </summary>
    public static List<(string From, string To)> SubtreeEdges(IReadOnlyList<(string From, string To)> nounEdges, string root, IEnumerable<string>? filterLines = null)
    {
        var members = new HashSet<string>(StringComparer.Ordinal) { root };
        foreach (var (from, to) in nounEdges)
        {
            if (to == root)
            {
                members.Add(from);
            }
        }

        var patterns = (filterLines ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var filter = patterns.Length == 0 ? null : new Regex("^(?:" + string.Join('|', patterns) + ")", RegexOptions.CultureInvariant);
        var result = new List<(string, string)>();
        foreach (var (from, to) in nounEdges)
        {
            if (members.Contains(from) && members.Contains(to) && filter?.IsMatch(from + " " + to) != true)
            {
                result.Add((from, to));
            }
        }

        return result;
    }
}
