namespace RoseForest.Engine.Adapters;

/// <summary>
/// One query adapter (per named vector and tenant): q' = q + alpha * B(A q) with A r x d and
/// B d x r (kept transposed, r x d, so both products are contiguous SIMD loops), B zero at first so it starts as the identity. Holds its Adam moments, its elastic
/// weight consolidation state (the diagonal Fisher consolidated so far, the Fisher gathered since,
/// the anchor weights), its versions and its replay buffer. Training and version changes run
/// under <see cref="Gate"/>; queries read <see cref="Weights"/>, swapped whole after each change.
/// </summary>
internal sealed partial class QueryAdapter
{
    /// <summary>Versions kept per adapter; the oldest are dropped (their numbers are not reused).</summary>
    public const int MaxVersions = 32;

    private float[] _a;
    private float[] _b;
    private float[] _mA, _vA, _mB, _vB;
    private long _adamStep;
    private float[] _fisherA, _fisherB;
    private float[] _accA, _accB;
    private long _accCount;
    private float[] _anchorA, _anchorB;
    private bool _hasAnchor;
    private volatile AdapterWeights _weights;
    private readonly List<AdapterVersion> _versions = [];
    private readonly Random _random;

    public QueryAdapter(string vectorName, string tenant, int dimension, int rank, float alpha, int replayCapacity, DateTimeOffset now, int seed)
    {
        Using = vectorName;
        Tenant = tenant;
        Dimension = dimension;
        Rank = rank;
        _random = new Random(seed);
        _a = new float[rank * dimension];
        var scale = 1 / Math.Sqrt(dimension);
        for (var i = 0; i < _a.Length; i++)
        {
            // Box-Muller: A ~ N(0, 1/d), LoRA's fan-in scale. (N(0, 1) was tried: it learned less,
            // on Fashion-MNIST and on the synthetic test task; docs/benchmarks.md.)
            var u1 = 1 - _random.NextDouble();
            var u2 = _random.NextDouble();
            _a[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        _b = new float[dimension * rank];
        (_mA, _vA, _mB, _vB) = (new float[_a.Length], new float[_a.Length], new float[_b.Length], new float[_b.Length]);
        (_fisherA, _fisherB, _accA, _accB) = (new float[_a.Length], new float[_b.Length], new float[_a.Length], new float[_b.Length]);
        (_anchorA, _anchorB) = ((float[])_a.Clone(), (float[])_b.Clone());
        Replay = new ReplayBuffer(replayCapacity);
        Alpha = alpha;
        _weights = Snapshot();
        _versions.Add(MakeVersion(0, now, "created"));
    }

    /// <summary>The named vector ("" for the unnamed one).</summary>
    public string Using { get; }

    /// <summary>The tenant ("" for the collection's own).</summary>
    public string Tenant { get; }

    public int Dimension { get; }

    public int Rank { get; }

    /// <summary>The scale of the low-rank term; follows the collection's setting.</summary>
    public float Alpha { get; private set; }

    /// <summary>Feedback updates so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Updates since the last consolidation (or rollback).</summary>
    public long UpdatesSinceConsolidation { get; private set; }

    /// <summary>The version the current weights descend from.</summary>
    public int Version { get; private set; }

    /// <summary>True when something changed since the adapter was last saved.</summary>
    public bool Dirty { get; set; } = true;

    public ReplayBuffer Replay { get; private set; }

    /// <summary>Serialises training and version changes.</summary>
    public object Gate { get; } = new();

    /// <summary>The weights queries apply (swapped whole).</summary>
    public AdapterWeights Weights => _weights;

    public IReadOnlyList<AdapterVersion> Versions => _versions;

    public Random Random => _random;

    public void SetAlpha(float alpha)
    {
        Alpha = alpha;
        _weights = Snapshot();
        Dirty = true;
    }

    public void ResizeReplay(int capacity)
    {
        if (capacity != Replay.Capacity)
        {
            Replay.Resize(capacity);
            Dirty = true;
        }
    }

    private AdapterWeights Snapshot() => new(Dimension, Rank, Alpha, (float[])_a.Clone(), (float[])_b.Clone());

    /// <summary>
    /// Ends a task: the mean squared gradient since the last consolidation (the empirical
    /// diagonal Fisher) is added to the penalty's Fisher, the weights become the anchor, and a new
    /// version records them.
    /// </summary>
    public AdapterVersion Consolidate(DateTimeOffset now, string reason)
    {
        if (_accCount > 0)
        {
            for (var i = 0; i < _fisherA.Length; i++)
            {
                _fisherA[i] += _accA[i] / _accCount;
            }

            for (var i = 0; i < _fisherB.Length; i++)
            {
                _fisherB[i] += _accB[i] / _accCount;
            }
        }

        Array.Clear(_accA);
        Array.Clear(_accB);
        _accCount = 0;
        _a.CopyTo(_anchorA, 0);
        _b.CopyTo(_anchorB, 0);
        _hasAnchor = true;
        UpdatesSinceConsolidation = 0;
        var version = MakeVersion(_versions.Count == 0 ? 1 : _versions[^1].Number + 1, now, reason);
        _versions.Add(version);
        if (_versions.Count > MaxVersions)
        {
            _versions.RemoveAt(0);
        }

        Version = version.Number;
        Dirty = true;
        return version;
    }

    /// <summary>Restores a version's weights and consolidation state; Adam's moments and the unconsolidated Fisher start again.</summary>
    public AdapterVersion Rollback(int number)
    {
        var version = _versions.Find(v => v.Number == number)
            ?? throw new ValidationException("version", $"adapter '{Describe()}' has no version {number}; it keeps {string.Join(", ", _versions.Select(v => v.Number))}.");
        version.A.CopyTo(_a, 0);
        version.B.CopyTo(_b, 0);
        version.FisherA.CopyTo(_fisherA, 0);
        version.FisherB.CopyTo(_fisherB, 0);
        version.AnchorA.CopyTo(_anchorA, 0);
        version.AnchorB.CopyTo(_anchorB, 0);
        _hasAnchor = version.HasAnchor;
        foreach (var m in new[] { _mA, _vA, _mB, _vB, _accA, _accB })
        {
            Array.Clear(m);
        }

        _adamStep = 0;
        _accCount = 0;
        UpdatesSinceConsolidation = 0;
        Version = version.Number;
        _weights = Snapshot();
        Dirty = true;
        return version;
    }

    /// <summary>"vector/tenant" for messages.</summary>
    public string Describe() => Tenant.Length == 0 ? (Using.Length == 0 ? "(unnamed vector)" : Using) : $"{(Using.Length == 0 ? "(unnamed vector)" : Using)}, tenant {Tenant}";

    private AdapterVersion MakeVersion(int number, DateTimeOffset now, string reason) =>
        new(number, now, Updates, reason, (float[])_a.Clone(), (float[])_b.Clone(), (float[])_fisherA.Clone(), (float[])_fisherB.Clone(), (float[])_anchorA.Clone(), (float[])_anchorB.Clone(), _hasAnchor);

    public AdapterVersionInfo Info(AdapterVersion v) => new(v.Number, v.Created, v.Updates, v.Reason);
}

/// <summary>A saved version: its weights and the consolidation state that went with them.</summary>
internal sealed record AdapterVersion(int Number, DateTimeOffset Created, long Updates, string Reason, float[] A, float[] B, float[] FisherA, float[] FisherB, float[] AnchorA, float[] AnchorB, bool HasAnchor);
