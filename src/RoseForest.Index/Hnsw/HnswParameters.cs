namespace RoseForest.Index.Hnsw;

/// <summary>The shape of an HNSW graph (Malkov &amp; Yashunin): links per node and construction beam.</summary>
internal sealed record HnswParameters
{
    /// <summary>Links per node on the upper layers; layer 0 keeps twice as many.</summary>
    public int M { get; init; } = 16;

    /// <summary>The beam width while inserting.</summary>
    public int EfConstruction { get; init; } = 100;

    /// <summary>Seeds the level draw, so a single-threaded build is reproducible.</summary>
    public ulong Seed { get; init; } = 0x5EED_CAFE;

    public int M0 => 2 * M;

    /// <summary>
    /// How long a layer-0 list may grow past <see cref="M0"/> (0: never). A node whose list is full
    /// moves it to a managed array of this many links instead of evicting one. Tree-like data in
    /// hyperbolic space needs it: there the diversity heuristic reduces every node to about one
    /// link (the metric is nearly a tree, so the tree is what the rule keeps), and the nodes near
    /// the root are the only way into thousands of leaf clusters, far more than 2M.
    /// </summary>
    public int HubLinks { get; init; }

    /// <summary>
    /// After the diversity heuristic, fill the rest of a list with the closest candidates it
    /// passed over (the paper's keepPrunedConnections). Off by default, as in hnswlib.
    /// </summary>
    public bool KeepPrunedLinks { get; init; }

    /// <summary>The longest a layer-0 list can be.</summary>
    public int MaxLinks0 => Math.Max(M0, HubLinks);

    /// <summary>1/ln(M): levels follow ⌊−ln(U)·mL⌋, the paper's choice.</summary>
    public double LevelMultiplier => 1 / Math.Log(M);

    public void Validate()
    {
        if (M is < 2 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(M), M, "m must be between 2 and 128.");
        }

        if (EfConstruction is < 4 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, "ef_construct must be between 4 and 4096.");
        }

        if (HubLinks != 0 && (HubLinks < M0 || HubLinks > 1024))
        {
            throw new ArgumentOutOfRangeException(nameof(HubLinks), HubLinks, $"hub links must be 0 or between 2m ({M0}) and 1024.");
        }
    }
}
