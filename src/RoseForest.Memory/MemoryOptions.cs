using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RoseForest.Memory;

/// <summary>Settings of a <see cref="MemoryStore"/>.</summary>
public sealed class MemoryOptions
{
    /// <summary>
    /// The collection the memories live in. Default: <c>memories</c> for the default embedder
    /// (all-minilm-l6-v2) and <c>memories-{embedder}</c> for any other, so one collection holds
    /// vectors of one embedder only.
    /// </summary>
    public string? CollectionName { get; init; }

    /// <summary>The durability of the collection when the store creates it. Default sync.</summary>
    public Durability Durability { get; init; } = Durability.Sync;

    /// <summary>
    /// Search hits whose relevance (the larger of the cosine and the covered share of the query's
    /// idf weight) is below this are dropped, so an unrelated query returns nothing. Default 0.35,
    /// measured for all-MiniLM-L6-v2 (unrelated sentences score about 0 to 0.2).
    /// </summary>
    public double ScoreThreshold { get; init; } = 0.35;

    /// <summary>
    /// A new semantic or procedural memory whose cosine with a current memory of exactly the same
    /// scope and kind is at least this is merged into it instead of stored again. Default 0.92.
    /// </summary>
    public double DuplicateThreshold { get; init; } = 0.92;

    /// <summary>How the signals of a hybrid search are fused.</summary>
    public FusionOptions Fusion { get; init; } = new();

    /// <summary>Each signal contributes at least this many candidates (or 4 × limit, if more). Default 50.</summary>
    public int MinCandidates { get; init; } = 50;

    /// <summary>The longest memory text accepted, in characters. Default 32,768.</summary>
    public int MaxTextLength { get; init; } = 32_768;

    /// <summary>
    /// Access counts are kept in memory and written to the collection this often (and on dispose),
    /// so a search is not a write. Default 10 s.
    /// </summary>
    public TimeSpan AccessFlushInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Background consolidation (off unless scopes are listed).</summary>
    public ConsolidationOptions Consolidation { get; init; } = new();

    /// <summary>The chat client <c>infer: true</c> uses to extract facts; without one, infer is refused.</summary>
    public IChatClient? ChatClient { get; init; }

    /// <summary>The clock (created/valid/expiry times, TTL, flush and consolidation timers).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the store logs (index rebuilds, consolidation runs, flush failures).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Checks the settings; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (CollectionName is not null)
        {
            CollectionOptions.ValidateName(CollectionName);
        }

        if (ScoreThreshold is < 0 or > 1 || double.IsNaN(ScoreThreshold))
        {
            throw new ValidationException("score_threshold", "must be between 0 and 1.");
        }

        if (DuplicateThreshold is <= 0 or > 1 || double.IsNaN(DuplicateThreshold))
        {
            throw new ValidationException("duplicate_threshold", "must be in (0, 1].");
        }

        if (MinCandidates is < 1 or > 10_000)
        {
            throw new ValidationException("min_candidates", "must be between 1 and 10,000.");
        }

        if (MaxTextLength < 1)
        {
            throw new ValidationException("max_text_length", "must be positive.");
        }

        if (AccessFlushInterval <= TimeSpan.Zero)
        {
            throw new ValidationException("access_flush_interval", "must be positive.");
        }

        Fusion.Validate();
        Consolidation.Validate();
    }
}

/// <summary>How fusion combines the signals of a hybrid search.</summary>
public enum RecallFusion
{
    /// <summary>Reciprocal rank fusion: Σ weight / (k + rank) over the signals' rankings.</summary>
    Rrf,

    /// <summary>Weighted sum of the signals, each scaled to [0, 1] over the candidates.</summary>
    Linear,
}

/// <summary>Fusion method and weights of the four signals.</summary>
public sealed class FusionOptions
{
    /// <summary>RRF (default) or a weighted sum.</summary>
    public RecallFusion Method { get; init; } = RecallFusion.Rrf;

    /// <summary>
    /// RRF's k. Default 10: with the customary 60 and lists of 50 candidates, every rank weighs
    /// nearly the same and any keyword match outranks the best vector hit; 10 (with BM25 at half
    /// weight) is what made hybrid beat both signals on the WordNet benchmark, and held on a
    /// second query sample (docs/benchmarks.md).
    /// </summary>
    public double RrfK { get; init; } = 10;

    /// <summary>Weight of vector similarity. Default 1.</summary>
    public double Vector { get; init; } = 1;

    /// <summary>Weight of BM25. Default 0.5 (see <see cref="RrfK"/>).</summary>
    public double Keyword { get; init; } = 0.5;

    /// <summary>Weight of recency (newer valid_from first). Default 0.1: a tie-breaker.</summary>
    public double Recency { get; init; } = 0.1;

    /// <summary>Weight of importance (a numeric metadata.importance; ties by access count). Default 0.1.</summary>
    public double Importance { get; init; } = 0.1;

    /// <summary>
    /// A keyword match counts in a hybrid search only when the memory's words cover at least this
    /// share of the query's idf weight (default 0.3). RRF sees ranks, not scores: without this, a
    /// match on a word every memory shares (a name) would rank as high as a real one.
    /// </summary>
    public double KeywordMinCoverage { get; init; } = 0.3;

    /// <summary>Checks the weights.</summary>
    public void Validate()
    {
        foreach (var (name, w) in new[] { ("vector", Vector), ("keyword", Keyword), ("recency", Recency), ("importance", Importance) })
        {
            if (w < 0 || !double.IsFinite(w))
            {
                throw new ValidationException($"weights.{name}", "must be a finite number of at least 0.");
            }
        }

        if (KeywordMinCoverage is < 0 or > 1 || double.IsNaN(KeywordMinCoverage))
        {
            throw new ValidationException("weights.keyword_min_coverage", "must be between 0 and 1.");
        }

        if (RrfK <= 0 || !double.IsFinite(RrfK))
        {
            throw new ValidationException("weights.rrf_k", "must be positive.");
        }
    }
}
