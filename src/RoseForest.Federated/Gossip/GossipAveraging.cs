using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Gossip;

/// <summary>
/// Coordinator-less averaging: in each round the nodes are paired by a random perfect matching
/// and each pair replaces both values by their average. Values are held in fixed point (64-bit
/// integers at 2^−<see cref="FractionalBits"/>) and a pair (a, b) becomes (⌊(a+b)/2⌋, a+b−⌊(a+b)/2⌋),
/// so the network's sum is preserved exactly and every node converges to the mean.
/// </summary>
public sealed class GossipAveraging
{
    /// <summary>The fixed-point resolution: values are multiples of 2^−24; magnitudes must stay below 2^38.</summary>
    public const int FractionalBits = 24;

    private static readonly double Scale = Math.Pow(2, FractionalBits);
    private readonly long[][] _values;
    private readonly IRandomSource _random;

    /// <summary>Starts the network from each node's vector (all of one dimension).</summary>
    public GossipAveraging(IReadOnlyList<float[]> initial, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(random);
        if (initial.Count < 2 || initial.Any(v => v.Length != initial[0].Length))
        {
            throw new ArgumentException("Gossip needs at least two nodes with vectors of one dimension.", nameof(initial));
        }

        _values = [.. initial.Select(v => v.Select(x => checked((long)Math.Round(x * Scale))).ToArray())];
        _random = random;
    }

    /// <summary>The number of nodes.</summary>
    public int NodeCount => _values.Length;

    /// <summary>The number of values per node.</summary>
    public int Dimension => _values[0].Length;

    /// <summary>The number of rounds run so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>Node <paramref name="node"/>'s current vector.</summary>
    public double[] Value(int node) => [.. _values[node].Select(v => v / Scale)];

    /// <summary>The exact fixed-point sum of coordinate <paramref name="coordinate"/> over all nodes (constant across rounds).</summary>
    public long FixedPointSum(int coordinate) => _values.Sum(v => v[coordinate]);

    /// <summary>The network mean, which gossip preserves.</summary>
    public double[] Mean() => [.. Enumerable.Range(0, Dimension).Select(i => FixedPointSum(i) / Scale / NodeCount)];

    /// <summary>The consensus distance: the mean over nodes of ‖xᵢ − x̄‖₂.</summary>
    public double ConsensusDistance()
    {
        var mean = Mean();
        return Enumerable.Range(0, NodeCount).Average(n => Math.Sqrt(Value(n).Select((x, i) => (x - mean[i]) * (x - mean[i])).Sum()));
    }

    /// <summary>One gossip round: a random perfect matching (one node idles when the count is odd), then pairwise averaging.</summary>
    public void Round()
    {
        var order = Enumerable.Range(0, NodeCount).ToArray();
        _random.Shuffle(order);
        for (var p = 0; p + 1 < order.Length; p += 2)
        {
            var (a, b) = (_values[order[p]], _values[order[p + 1]]);
            for (var i = 0; i < a.Length; i++)
            {
                var sum = a[i] + b[i];
                var low = sum >> 1; // floor, also for negative sums
                (a[i], b[i]) = (low, sum - low);
            }
        }

        Rounds++;
    }

    /// <summary>Runs rounds and returns the consensus distance before the first and after each.</summary>
    public IReadOnlyList<double> Run(int rounds)
    {
        var distances = new List<double>(rounds + 1) { ConsensusDistance() };
        for (var r = 0; r < rounds; r++)
        {
            Round();
            distances.Add(ConsensusDistance());
        }

        return distances;
    }
}
