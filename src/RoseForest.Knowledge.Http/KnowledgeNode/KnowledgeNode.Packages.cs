using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Conflicts;
using RoseForest.Knowledge.Http.Http;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// The YumeiCHAIN operations. Signatures are checked on receipt: a package or vote by a keyed node
/// must carry a signature that verifies with the node's registered key. Versions and votes merged
/// from peers are checked when read: one whose author is keyed and whose signature does not verify
/// stays in the replicated state (so every replica holds the same state) but is never shown,
/// scored or counted.
/// </summary>
internal sealed partial class KnowledgeNode
{
    private readonly ConcurrentDictionary<(string Version, string Signature, string Key), bool> _verified = new();

    /// <summary>A package as readers see it, with its trust score.</summary>
    public sealed record ScoredPackage(KnowledgePackage Package, double Score);

    /// <summary>Publishes (or, with <paramref name="updateId"/>, updates) a package on behalf of its author.</summary>
    public async Task<PublishResponse> PublishAsync(KnowledgePackage package, Caller caller, string? updateId, CancellationToken cancellationToken)
    {
        if (updateId is not null)
        {
            if (package.KnowledgeId is not null && package.KnowledgeId != updateId)
            {
                throw new KnowledgeValidationException("knowledge_id", $"is {package.KnowledgeId}, but the route names {updateId}");
            }

            package = package with { KnowledgeId = updateId };
        }

        var filled = KnowledgeIds.EnsureIds(KnowledgeValidator.Validate(package));
        var author = filled.Content!.GeneratedBy!;
        RequireActingAs(caller, author, "content.generated_by");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (updateId is not null && VisibleVersions(updateId).Count == 0)
            {
                throw new KnowledgeHttpException(404, $"Knowledge {updateId} does not exist.");
            }

            if (SigningKey(author) is { } key)
            {
                if (filled.Trust?.Signature is null)
                {
                    throw new KnowledgeHttpException(403, $"trust.signature is required: node {author} registered an Ed25519 key.");
                }

                if (!KnowledgeSigner.VerifyPackage(filled, key))
                {
                    throw new KnowledgeHttpException(403, $"trust.signature does not verify with the registered key of node {author}.");
                }
            }

            var answer = Book.Publish(filled);
            Commit();
            await ReindexAsync([answer.KnowledgeId], cancellationToken).ConfigureAwait(false);
            return answer with { Conflicts = ConflictDetector.ConflictsWith(VisibleVersions(answer.KnowledgeId), answer.VersionId) };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The readable version of a knowledge id with its trust block, or null.</summary>
    public Task<KnowledgePackage?> GetAsync(string knowledgeId, CancellationToken cancellationToken)
        => LockedAsync(() => Readable(knowledgeId)?.Package, cancellationToken);

    /// <summary><c>GET /knowledge</c>: filters, then the best trust score first (then confidence, then id).</summary>
    public Task<IReadOnlyList<ScoredPackage>> QueryAsync(KnowledgeQuery query, CancellationToken cancellationToken)
        => LockedAsync<IReadOnlyList<ScoredPackage>>(() =>
        {
            var results = new List<ScoredPackage>();
            foreach (var id in Replica.State.LiveRecordIds)
            {
                if (id.StartsWith('@') || Readable(id) is not { } scored)
                {
                    continue;
                }

                var p = scored.Package;
                if ((query.Domain is not null && p.Metadata!.Domain != query.Domain)
                    || (query.Type is not null && p.Metadata!.Type != query.Type)
                    || (query.AiNode is not null && p.Content!.GeneratedBy != query.AiNode)
                    || p.Confidence!.Overall < query.MinConfidence
                    || scored.Score < query.MinScore
                    || (query.Tags.Count > 0 && !query.Tags.All(Book.Tags(id).Contains)))
                {
                    continue;
                }

                results.Add(scored);
            }

            return [.. results.OrderByDescending(r => r.Score).ThenByDescending(r => r.Package.Confidence!.Overall)
                .ThenBy(r => r.Package.KnowledgeId, StringComparer.Ordinal).Take(query.Limit)];
        }, cancellationToken);

    /// <summary>
    /// Semantic search: the nearest packages to <paramref name="text"/>, filtered by trust score and
    /// confidence, ranked by (1 − w)·similarity + w·score.
    /// </summary>
    public async Task<IReadOnlyList<(ScoredPackage Hit, double Similarity, double Rank)>> SearchAsync(string text, KnowledgeQuery query, double trustWeight, CancellationToken cancellationToken)
    {
        var conditions = new List<Core.Filters.Condition>();
        if (query.Domain is not null)
        {
            conditions.Add(Core.Filters.Condition.Match("domain", query.Domain));
        }

        if (query.Type is not null)
        {
            conditions.Add(Core.Filters.Condition.Match("type", query.Type));
        }

        if (query.AiNode is not null)
        {
            conditions.Add(Core.Filters.Condition.Match("generated_by", query.AiNode));
        }

        var filter = conditions.Count == 0 ? null : new Core.Filters.Filter(must: conditions);
        var hits = await _index.SearchAsync(text, Math.Min(query.Limit * 4, 4 * _options.MaxResults), filter, cancellationToken).ConfigureAwait(false);
        return await LockedAsync<IReadOnlyList<(ScoredPackage, double, double)>>(() =>
        {
            var ranked = new List<(ScoredPackage, double, double)>();
            foreach (var (id, similarity) in hits)
            {
                if (Readable(id) is not { } scored || scored.Score < query.MinScore || scored.Package.Confidence!.Overall < query.MinConfidence
                    || (query.Tags.Count > 0 && !query.Tags.All(Book.Tags(id).Contains)))
                {
                    continue;
                }

                ranked.Add((scored, similarity, ((1 - trustWeight) * similarity) + (trustWeight * scored.Score)));
            }

            return [.. ranked.OrderByDescending(r => r.Item3).ThenBy(r => r.Item1.Package.KnowledgeId, StringComparer.Ordinal).Take(query.Limit)];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a registered node's vote (signed, when the node is keyed) and returns the new score.</summary>
    public async Task<EvaluationResponse> EvaluateAsync(string knowledgeId, KnowledgeEvaluation evaluation, string? signature, long? signedAt, Caller caller, CancellationToken cancellationToken)
    {
        var voter = evaluation.EvaluatingNode;
        if (string.IsNullOrWhiteSpace(voter))
        {
            throw new KnowledgeValidationException("evaluating_node", "is required and must not be blank");
        }

        RequireActingAs(caller, voter, "evaluating_node");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (VisibleVersions(knowledgeId).Count == 0)
            {
                throw new KnowledgeHttpException(404, $"Knowledge {knowledgeId} does not exist.");
            }

            if (Profile(voter) is null)
            {
                throw new KnowledgeHttpException(403, $"evaluating_node {voter} is not a registered node (POST /register first).");
            }

            SignedVote signed;
            if (SigningKey(voter) is { } key)
            {
                if (signature is null || signedAt is null)
                {
                    throw new KnowledgeHttpException(403, $"signature and signed_at are required: node {voter} registered an Ed25519 key.");
                }

                signed = new SignedVote(evaluation.ToVote(knowledgeId, new Crdt.HlcTimestamp(signedAt.Value, 0, voter)), signature);
                if (!KnowledgeSigner.VerifyVote(signed, key))
                {
                    throw new KnowledgeHttpException(403, $"signature does not verify with the registered key of node {voter}.");
                }
            }
            else
            {
                var now = Replica.Clock.Now();
                signed = new SignedVote(evaluation.ToVote(knowledgeId, new Crdt.HlcTimestamp(now.Physical, now.Logical, voter)), string.Empty);
            }

            Replica.CastVote(knowledgeId, signed);
            Commit();
            var score = Readable(knowledgeId)!;
            return new EvaluationResponse { KnowledgeId = knowledgeId, NewScore = score.Score, Votes = score.Package.Trust!.Votes! };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Resolves a conflict on behalf of a registered node.</summary>
    public async Task<ResolutionPlan> ResolveAsync(string knowledgeId, ConflictResolution resolution, Caller caller, CancellationToken cancellationToken)
    {
        var resolver = resolution.ResolvingNode;
        if (string.IsNullOrWhiteSpace(resolver))
        {
            throw new KnowledgeValidationException("resolving_node", "is required and must not be blank");
        }

        RequireActingAs(caller, resolver, "resolving_node");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Book.Versions(knowledgeId).Count == 0)
            {
                throw new KnowledgeHttpException(404, $"Knowledge {knowledgeId} does not exist.");
            }

            if (Profile(resolver) is null)
            {
                throw new KnowledgeHttpException(403, $"resolving_node {resolver} is not a registered node (POST /register first).");
            }

            if (resolution.ResolutionType == "merge" && SigningKey(resolver) is not null)
            {
                throw new KnowledgeValidationException("resolution_type", $"node {resolver} is keyed, and this server cannot sign a merged version for it: publish the merged package signed (POST /knowledge), then accept it");
            }

            var plan = Book.Resolve(knowledgeId, resolution);
            Commit();
            await ReindexAsync([knowledgeId], cancellationToken).ConfigureAwait(false);
            return plan;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes a knowledge id (every version, tag and vote seen here): the admin, or an author of a surviving version.</summary>
    public async Task DeleteAsync(string knowledgeId, Caller caller, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var versions = VisibleVersions(knowledgeId);
            if (versions.Count == 0)
            {
                throw new KnowledgeHttpException(404, $"Knowledge {knowledgeId} does not exist.");
            }

            if (!versions.Any(v => caller.MayActAs(v.Author)))
            {
                RequireActingAs(caller, versions[0].Author, "content.generated_by");
            }

            Book.Delete(knowledgeId);
            Commit();
            await ReindexAsync([knowledgeId], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The versions of a knowledge id whose signatures hold (or whose author is unkeyed), largest stamp first. Call under the lock.</summary>
    private List<KnowledgeVersion> VisibleVersions(string knowledgeId)
        => [.. Book.Versions(knowledgeId).Where(IsAuthentic)];

    private bool IsAuthentic(KnowledgeVersion version)
    {
        if (SigningKey(version.Author) is not { } key)
        {
            return true;
        }

        var signature = version.Package.Trust?.Signature;
        return signature is not null && _verified.GetOrAdd((version.VersionId, signature, key), _ => KnowledgeSigner.VerifyPackage(version.Package, key));
    }

    private bool IsAuthentic(SignedVote vote)
        => SigningKey(vote.Vote.Voter) is not { } key || KnowledgeSigner.VerifyVote(vote, key);

    /// <summary>The readable version with its current score, or null. Call under the lock.</summary>
    private ScoredPackage? Readable(string knowledgeId)
    {
        if (ConflictDetector.Winner(VisibleVersions(knowledgeId)) is not { } winner)
        {
            return null;
        }

        var score = _scorer.Score(Replica.State.Votes(knowledgeId).Where(IsAuthentic).Select(v => v.Vote), Profile);
        RecordScore(knowledgeId, winner.Author, score.Score);
        var package = winner.Package with
        {
            Trust = new KnowledgeTrust { Signature = winner.Package.Trust?.Signature, Score = score.Score, Votes = score.Votes },
        };
        return new ScoredPackage(package, score.Score);
    }

    /// <summary>Brings the search index in line for these knowledge ids. Call under the lock; failures are logged, not thrown.</summary>
    private async Task ReindexAsync(IReadOnlyCollection<string> knowledgeIds, CancellationToken cancellationToken)
    {
        var upserts = new List<(KnowledgePackage, IReadOnlyList<string>)>();
        var deletes = new List<string>();
        foreach (var id in knowledgeIds.Where(i => !i.StartsWith('@')))
        {
            if (ConflictDetector.Winner(VisibleVersions(id)) is { } winner)
            {
                upserts.Add((winner.Package, Book.Tags(id)));
            }
            else
            {
                deletes.Add(id);
            }
        }

        try
        {
            await _index.UpsertAsync(upserts, cancellationToken).ConfigureAwait(false);
            await _index.DeleteAsync(deletes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexFailure(_logger, e);
        }
    }

    private async Task ReconcileIndexAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var indexed = await _index.IndexedVersionsAsync(cancellationToken).ConfigureAwait(false);
            var stale = new List<string>();
            foreach (var id in Replica.State.LiveRecordIds.Where(i => !i.StartsWith('@')))
            {
                var winner = ConflictDetector.Winner(VisibleVersions(id));
                if (winner is not null && indexed.GetValueOrDefault(id) != winner.VersionId)
                {
                    stale.Add(id);
                }

                indexed.Remove(id);
            }

            stale.AddRange(indexed.Keys);
            await ReindexAsync(stale, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void RequireActingAs(Caller caller, string node, string field)
    {
        if (caller.Kind is CallerKind.Anonymous)
        {
            throw new KnowledgeHttpException(401, "Authorization is required: the node's API key (as the YumeiCHAIN client sends it) or the server's key.");
        }

        if (caller.Kind is CallerKind.Invalid)
        {
            throw new KnowledgeHttpException(401, "The API key in Authorization is not known to this server.");
        }

        if (!caller.MayActAs(node))
        {
            throw new KnowledgeHttpException(403, $"{field} is {node}, but the API key belongs to {(caller.Kind == CallerKind.ReadOnly ? "the read-only key" : "node " + caller.NodeId)}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the knowledge search index failed; it is rebuilt from the knowledge state on the next start")]
    private static partial void LogIndexFailure(ILogger logger, Exception error);
}
