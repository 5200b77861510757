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
    }
}
