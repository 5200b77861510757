namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// A directed graph over named nodes, stored as compressed rows: the out-neighbours of node u are
/// <c>Targets[Offsets[u]..Offsets[u+1]]</c>, sorted ascending and without duplicates. Edges are
/// kept in input order as well (the trainer walks them; the evaluation walks the rows).
/// </summary>
internal sealed class Digraph
{
    private readonly Dictionary<string, int> _index;

    private Digraph(string[] names, Dictionary<string, int> index, int[] offsets, int[] targets, int[] edgeSources, int[] edgeTargets)
    {
        Names = names;
        _index = index;
        Offsets = offsets;
        Targets = targets;
        EdgeSources = edgeSources;
        EdgeTargets = edgeTargets;
    }

    public string[] Names { get; }

    public int NodeCount => Names.Length;

    public int EdgeCount => EdgeSources.Length;

    public int[] Offsets { get; }

    public int[] Targets { get; }

    public int[] EdgeSources { get; }

    public int[] EdgeTargets { get; }

    public ReadOnlySpan<int> OutNeighbours(int node) => Targets.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    public int OutDegree(int node) => Offsets[node + 1] - Offsets[node];

    public bool HasEdge(int from, int to) => OutNeighbours(from).BinarySearch(to) >= 0;

    public bool TryGetNode(string name, out int node) => _index.TryGetValue(name, out node);

    /// <summary>
    /// Builds the graph from named edges. Nodes are numbered in order of first appearance;
    /// duplicate edges are dropped (the first occurrence is kept); self-loops are dropped.
    /// </summary>
    public static Digraph FromEdges(IEnumerable<(string From, string To)> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var seen = new HashSet<long>();
        var sources = new List<int>();
        var targets = new List<int>();
        foreach (var (from, to) in edges)
        {
            var u = Intern(from);
            var v = Intern(to);
            if (u != v && seen.Add(((long)u << 32) | (uint)v))
            {
                sources.Add(u);
                targets.Add(v);
            }
        }

        return Build([.. names], index, [.. sources], [.. targets]);

        int Intern(string name)
        {
            if (!index.TryGetValue(name, out var id))
            {
                id = names.Count;
                index.Add(name, id);
                names.Add(name);
            }

            return id;
        }
    }

    /// <summary>
    /// The graph less its two-step shortcuts: edge u→v is dropped when u→w→v exists for another
    /// out-neighbour w. For a transitive closure of a DAG (the WordNet graphs) this is exactly the
    /// transitive reduction, the hierarchy's Hasse diagram, whose hop distances are the tree-like
    /// metric; on the closure itself every node is within two hops of the root.
    /// </summary>
    public Digraph WithoutShortcuts()
    {
        var sources = new List<int>();
        var targets = new List<int>();
        for (var e = 0; e < EdgeCount; e++)
        {
            var (u, v) = (EdgeSources[e], EdgeTargets[e]);
            var shortcut = false;
            foreach (var w in OutNeighbours(u))
            {
                if (w != v && HasEdge(w, v))
                {
                    shortcut = true;
                    break;
                }
            }

            if (!shortcut)
            {
                sources.Add(u);
                targets.Add(v);
            }
        }

        return Build(Names, _index, [.. sources], [.. targets]);
    }

    private static Digraph Build(string[] names, Dictionary<string, int> index, int[] sources, int[] targets)
    {
        var offsets = new int[names.Length + 1];
        foreach (var s in sources)
        {
            offsets[s + 1]++;
        }

        for (var i = 0; i < names.Length; i++)
        {
            offsets[i + 1] += offsets[i];
        }

        var rows = new int[sources.Length];
        var fill = offsets[..^1].ToArray();
        for (var e = 0; e < sources.Length; e++)
        {
            rows[fill[sources[e]]++] = targets[e];
        }

        for (var u = 0; u < names.Length; u++)
        {
            Array.Sort(rows, offsets[u], offsets[u + 1] - offsets[u]);
        }

        return new Digraph(names, index, offsets, rows, sources, targets);
    }
}
