using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Core.Filters;
using RoseForest.Embeddings;

namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Leader clustering in time order: each unconsolidated episode joins the pattern (existing or
    /// forming) whose centroid is most similar, if at least
    /// <see cref="ConsolidationOptions.SimilarityThreshold"/>, else starts a cluster. A forming
    /// cluster becomes a semantic pattern once it has <see cref="ConsolidationOptions.MinClusterSize"/>
    /// members; smaller ones wait for the next run. A pattern's text is its most central member's,
    /// its vector the members' normalised centroid, its confidence the members' share of the scope's
    /// consolidated episodes, its access count the members' sum.
    /// </remarks>
    public async Task<ConsolidationReport> ConsolidateAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.Validate();
        var settings = _options.Consolidation;
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Now;
            var episodes = await ScrollAllAsync(collection, VisibleFilter(scope, now, null, MemoryKind.Episodic, Filter.Where(Condition.IsEmpty("consolidated_into")), includeExpired: false), cancellationToken).ConfigureAwait(false);
            var patternFilter = new Filter(must: [.. scope.ExactConditions(), Condition.Match("kind", MemoryKind.Semantic.ToName())], mustNot: [Condition.IsEmpty("pattern.members")]);
            var patterns = (await ScrollAllAsync(collection, VisibleFilter(MemoryScope.Of(null, null, null, null), now, null, null, patternFilter, includeExpired: false), cancellationToken).ConfigureAwait(false))
                .Select(p => new Cluster(p.Memory, p.Vector)).ToList();
            var forming = new List<Cluster>();
            foreach (var (episode, vector) in episodes)
            {
                Cluster? best = null;
                var bestScore = settings.SimilarityThreshold;
                foreach (var cluster in patterns.Concat(forming))
                {
                    var cosine = EmbeddingMath.Cosine(vector, cluster.Centroid);
                    if (cosine >= bestScore)
                    {
                        (best, bestScore) = (cluster, cosine);
                    }
                }

                if (best is null)
                {
                    best = new Cluster(null, vector);
                    forming.Add(best);
                }

                best.Add(episode, vector);
            }

            var changed = new Dictionary<Guid, (StoredMemory Memory, float[] Vector)>();
            var created = 0;
            var updated = 0;
            var assigned = 0;
            foreach (var cluster in patterns.Concat(forming))
            {
                if (cluster.Added.Count == 0 || (cluster.Pattern is null && cluster.Added.Count < settings.MinClusterSize))
                {
                    continue;
                }

                var pattern = cluster.Pattern ?? NewPattern(scope, now);
                if (cluster.Pattern is null)
                {
                    created++;
                }
                else
                {
                    updated++;
                }

                if (cluster.Pattern is null)
                {
                    // The member closest to the centroid speaks for the pattern.
                    pattern.Text = cluster.Added.MaxBy(m => EmbeddingMath.Cosine(m.Vector, cluster.Centroid)).Memory.Text;
                }

                pattern.PatternMembers = [.. pattern.PatternMembers ?? [], .. cluster.Added.Select(m => m.Memory.Id)];
                pattern.AccessCount += cluster.Added.Sum(m => m.Memory.AccessCount);
                pattern.Version++;
                pattern.UpdatedAt = now;
                pattern.History.Add(new MemoryVersion(pattern.Version, "consolidate", pattern.Text, pattern.Metadata, StoredMemory.Time(now), "consolidation"));
                foreach (var (member, memberVector) in cluster.Added)
                {
                    member.ConsolidatedInto = pattern.Id;
                    changed[member.Id] = (member, memberVector);
                    assigned++;
                }

                changed[pattern.Id] = (pattern, cluster.Centroid);
                if (cluster.Pattern is null)
                {
                    patterns.Add(new Cluster(pattern, cluster.Centroid));
                }
            }

            // Confidence: each pattern's share of the scope's consolidated episodes.
            var total = patterns.Sum(p => p.Pattern!.PatternMembers?.Count ?? 0);
            foreach (var cluster in patterns)
            {
                var pattern = changed.TryGetValue(cluster.Pattern!.Id, out var c) ? c.Memory : cluster.Pattern;
                var confidence = total == 0 ? 0 : (double)(pattern.PatternMembers?.Count ?? 0) / total;
                if (pattern.Confidence != confidence)
                {
                    pattern.Confidence = confidence;
                    changed[pattern.Id] = (pattern, changed.TryGetValue(pattern.Id, out var known) ? known.Vector : cluster.Centroid);
                }
            }

            await SaveAsync(collection, [.. changed.Values], cancellationToken).ConfigureAwait(false);
            var report = new ConsolidationReport(created, updated, assigned, episodes.Count);
            LogConsolidated(_log, scope.ToString(), created, updated, assigned);
            return report;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private StoredMemory NewPattern(MemoryScope scope, long now) => new()
    {
        Id = Guid.CreateVersion7(_time.GetUtcNow()),
        Text = string.Empty,
        Kind = MemoryKind.Semantic,
        Scope = scope,
        Metadata = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["source"] = "consolidation" }),
        Version = 0,
        CreatedAt = now,
        UpdatedAt = now,
        ValidFrom = now,
        Embedder = EmbedderId,
        PatternMembers = [],
        Confidence = 0,
    };

    private async Task<List<(StoredMemory Memory, float[] Vector)>> ScrollAllAsync(IVectorCollection collection, Filter filter, CancellationToken ct)
    {
        var all = new List<(StoredMemory, float[])>();
        PointId? offset = null;
        do
        {
            var page = await collection.ScrollAsync(new ScrollRequest { Limit = PageSize, Offset = offset, Filter = filter, WithPayload = PayloadSelector.All, WithVector = true }, ct).ConfigureAwait(false);
            all.AddRange(page.Points.Select(p => (StoredMemory.Read(p.Id, p.Payload!.Value), p.Vector!)));
            offset = page.NextOffset;
        }
        while (offset is not null);
        return all;
    }

    private async Task ConsolidateInBackgroundAsync()
    {
        foreach (var scope in _options.Consolidation.Scopes)
        {
            try
            {
                await ConsolidateAsync(scope, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RoseForestException or IOException or HttpRequestException or ObjectDisposedException)
            {
                LogConsolidationFailed(_log, scope.ToString(), e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consolidated {Scope}: {Created} patterns created, {Updated} updated, {Assigned} episodes assigned")]
    private static partial void LogConsolidated(ILogger logger, string scope, int created, int updated, int assigned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consolidating {Scope} failed")]
    private static partial void LogConsolidationFailed(ILogger logger, string scope, Exception error);

    /// <summary>A pattern (existing or forming) and its running centroid.</summary>
    private sealed class Cluster(StoredMemory? pattern, float[] centroid)
    {
        private readonly float[] _sum = Scaled(centroid, Math.Max(1, pattern?.PatternMembers?.Count ?? 0));
        private int _count = pattern is null ? 0 : Math.Max(1, pattern.PatternMembers?.Count ?? 0);

        public StoredMemory? Pattern { get; } = pattern;

        public List<(StoredMemory Memory, float[] Vector)> Added { get; } = [];

        public float[] Centroid { get; private set; } = centroid;

        public void Add(StoredMemory memory, float[] vector)
        {
            if (_count == 0)
            {
                Array.Clear(_sum);
            }

            for (var i = 0; i < _sum.Length; i++)
            {
                _sum[i] += vector[i];
            }

            _count++;
            Added.Add((memory, vector));
            var centroid = (float[])_sum.Clone();
            EmbeddingMath.NormalizeInPlace(centroid);
            Centroid = centroid;
        }

        private static float[] Scaled(float[] v, int n) => [.. v.Select(x => x * n)];
    }
}
