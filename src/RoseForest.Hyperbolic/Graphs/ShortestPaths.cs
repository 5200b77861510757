namespace RoseForest.Hyperbolic.Graphs;

/// <summary>Unweighted shortest-path (hop) distances on a graph taken as undirected.</summary>
internal sealed class ShortestPaths
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;

    public ShortestPaths(Digraph graph)
    {
        var n = graph.NodeCount;
        _offsets = new int[n + 1];
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            _offsets[graph.EdgeSources[e] + 1]++;
            _offsets[graph.EdgeTargets[e] + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            _offsets[i + 1] += _offsets[i];
        }

        _neighbours = new int[_offsets[n]];
        var fill = _offsets[..^1].ToArray();
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            var (u, v) = (graph.EdgeSources[e], graph.EdgeTargets[e]);
            _neighbours[fill[u]++] = v;
            _neighbours[fill[v]++] = u;
        }
    }

    public int NodeCount => _offsets.Length - 1;

    /// <summary>Breadth-first hop distances from <paramref name="source"/>; −1 for nodes it cannot reach.</summary>
    public int[] From(int source)
    {
        var distance = new int[NodeCount];
        Array.Fill(distance, -1);
        var queue = new int[NodeCount];
        int head = 0, tail = 0;
        distance[source] = 0;
        queue[tail++] = source;
        while (head < tail)
        {
            var u = queue[head++];
            for (var k = _offsets[u]; k < _offsets[u + 1]; k++)
            {
                var v = _neighbours[k];
                if (distance[v] < 0)
                {
                    distance[v] = distance[u] + 1;
                    queue[tail++] = v;
                }
            }
        }

        return distance;
    }
}
