using System.Text.Json;
using RoseForest.Embeddings;

namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <summary>The most memories one search or page may return.</summary>
    public const int MaxLimit = 1000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(SearchMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckText(request.Query, "query");
        ArgumentNullException.ThrowIfNull(request.Scope);
        request.Scope.Validate();
        if (request.Limit is < 1 or > MaxLimit)
        {
            throw new ValidationException("limit", $"must be between 1 and {MaxLimit}.");
        }

        if (request.ScoreThreshold is { } t && (t is < 0 or > 1 || double.IsNaN(t)))
        {
            throw new ValidationException("score_threshold", "must be between 0 and 1.");
        }

        if (!Enum.IsDefined(request.Mode))
        {
            throw new ValidationException("mode", "unknown recall mode.");
        }

        var fusion = request.Fusion ?? _options.Fusion;
        fusion.Validate();
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var query = (await EmbedAsync([request.Query], cancellationToken).ConfigureAwait(false))[0];
        var now = Now;
        var filter = VisibleFilter(request.Scope, now, request.AsOf?.ToUnixTimeMilliseconds(), request.Kind, request.Filter, includeExpired: false);
        var pool = Math.Max(_options.MinCandidates, request.Limit * 4);

        var candidates = new Dictionary<Guid, RecallCandidate>();
        if (request.Mode != RecallMode.Keyword)
        {
            var hits = await collection.SearchAsync(new SearchRequest { Vector = query, Limit = pool, Filter = filter, WithPayload = PayloadSelector.Exclude("history") }, cancellationToken).ConfigureAwait(false);
            foreach (var hit in hits)
            {
                candidates[hit.Id.Uuid] = new RecallCandidate(StoredMemory.Read(hit.Id, hit.Payload!.Value)) { Vector = hit.Score };
            }
        }

        var keywordOnly = new List<Guid>();
        if (request.Mode != RecallMode.Vector)
        {
            foreach (var hit in _keywords.Search(request.Query, pool, (id, view) => filter.Matches(id, view)))
            {
                if (candidates.TryGetValue(hit.Id, out var known))
                {
                    known.Keyword = hit.Score;
                    known.Coverage = hit.Coverage;
                }
                else
                {
                    keywordOnly.Add(hit.Id);
                    candidates[hit.Id] = new RecallCandidate(null!) { Keyword = hit.Score, Coverage = hit.Coverage };
                }
            }
        }

        // Every candidate gets every signal: the keyword-only ones their cosine (from their stored
        // vectors), the vector ones their BM25 score and coverage.
        if (keywordOnly.Count > 0)
        {
            var records = await collection.GetAsync([.. keywordOnly.Select(id => (PointId)id)], PayloadSelector.Exclude("history"), withVector: true, cancellationToken).ConfigureAwait(false);
            foreach (var record in records)
            {
                var partial = candidates[record.Id.Uuid];
                candidates[record.Id.Uuid] = new RecallCandidate(StoredMemory.Read(record.Id, record.Payload!.Value))
                {
                    Vector = EmbeddingMath.Cosine(query, record.Vector),
                    Keyword = partial.Keyword,
                    Coverage = partial.Coverage,
                };
            }

            foreach (var missing in keywordOnly.Where(id => candidates[id].Memory is null))
            {
                candidates.Remove(missing); // deleted between the two reads
            }
        }

        var list = candidates.Values.ToList();
        foreach (var c in list)
        {
            if (request.Mode == RecallMode.Vector)
            {
                var keyword = _keywords.Score(request.Query, c.Memory.Id);
                (c.Keyword, c.Coverage) = (keyword.Score, keyword.Coverage);
            }

            c.Importance = c.Memory.Metadata is { } m && m.TryGetProperty("importance", out var importance) && importance.ValueKind == JsonValueKind.Number ? importance.GetDouble() : 0;
            c.Memory.AccessCount += PendingAccess(c.Memory.Id);
        }

        if (request.Mode == RecallMode.Hybrid)
        {
            foreach (var c in list.Where(c => c.Keyword == 0 && c.Coverage == 0))
            {
                var keyword = _keywords.Score(request.Query, c.Memory.Id);
                (c.Keyword, c.Coverage) = (keyword.Score, keyword.Coverage);
            }
        }

        var threshold = request.ScoreThreshold ?? _options.ScoreThreshold;
        list.RemoveAll(c => c.Relevance < threshold);
        RankFusion.Fuse(list, request.Mode, fusion);
        list.Sort(static (x, y) => y.Fused != x.Fused ? y.Fused.CompareTo(x.Fused) : x.Memory.Id.CompareTo(y.Memory.Id));
        if (list.Count > request.Limit)
        {
            list.RemoveRange(request.Limit, list.Count - request.Limit);
        }

        if (request.TrackAccess)
        {
            RecordAccess(list.Select(c => c.Memory.Id), now);
        }

        return [.. list.Select(c => new MemoryHit(c.Memory.ToRecord(), c.Fused, c.Vector, c.Keyword, c.Relevance))];
    }
}
