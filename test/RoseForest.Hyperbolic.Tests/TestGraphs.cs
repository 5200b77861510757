using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>Small graphs built in code.</summary>
internal static class TestGraphs
{
    /// <summary>Parent edges (child → parent) of a complete tree with the given branching and depth; node "n0" is the root.</summary>
    public static List<(string From, string To)> TreeEdges(int branching, int depth)
    {
        var edges = new List<(string, string)>();
        var level = new List<int> { 0 };
        var next = 1;
        for (var d = 0; d < depth; d++)
        {
            var children = new List<int>();
            foreach (var parent in level)
            {
                for (var b = 0; b < branching; b++)
                {
                    edges.Add(($"n{next}", $"n{parent}"));
                    children.Add(next++);
                }
            }

            level = children;
        }

        return edges;
    }

    /// <summary>The transitive closure of child → parent edges (every node → each ancestor).</summary>
    public static Digraph Closure(List<(string From, string To)> parentEdges)
    {
        var parents = parentEdges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var edges = new List<(string, string)>();
        foreach (var node in parents.Keys)
        {
            var stack = new Stack<string>(parents[node]);
            var seen = new HashSet<string>();
            while (stack.Count > 0)
            {
                var a = stack.Pop();
                if (seen.Add(a))
                {
                    edges.Add((node, a));
                    foreach (var p in parents.GetValueOrDefault(a) ?? [])
                    {
                        stack.Push(p);
                    }
                }
            }
        }

        return Digraph.FromEdges(edges);
    }

    public static Digraph Grid(int side)
    {
        var edges = new List<(string, string)>();
        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side; j++)
            {
                if (i + 1 < side)
                {
                    edges.Add(($"{i},{j}", $"{i + 1},{j}"));
                }

                if (j + 1 < side)
                {
                    edges.Add(($"{i},{j}", $"{i},{j + 1}"));
                }
            }
        }

        return Digraph.FromEdges(edges);
    }
}
