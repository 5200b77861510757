using System.Text.Json;
using RoseForest.Knowledge.Conflicts;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge;

/// <summary>
/// The knowledge exchange over one <see cref="Replica"/>: publish, get, conflicts, resolve and
/// evaluate as pure state transitions (the HTTP routes call these). A knowledge id is a record; its
/// versions are the surviving writes of the record's <see cref="PackageField"/> field, its tags
/// the record's tag set, its votes the record's vote map.
/// </summary>
public sealed class KnowledgeBook
{
    /// <summary>The record field holding a version's package JSON.</summary>
    public const string PackageField = "package";

    private readonly TrustScorer _scorer;
    private readonly Func<string, VoterProfile?> _registry;

    /// <summary>Creates the book.</summary>
    /// <param name="replica">The replica it reads and writes.</param>
    /// <param name="scorer">Computes trust scores.</param>
    /// <param name="registry">Registered nodes by id (null: not registered).</param>
    public KnowledgeBook(Replica replica, TrustScorer scorer, Func<string, VoterProfile?> registry)
    {
        Replica = replica;
        _scorer = scorer;
        _registry = registry;
    }

    /// <summary>The replica underneath.</summary>
    public Replica Replica { get; }

    /// <summary>
    /// Publishes (or updates) a package. Ids are filled in; a package whose version already survives
    /// changes nothing. The new version supersedes the surviving versions by the same author
    /// (<c>content.generated_by</c>); versions by other authors stay beside it as conflicts until
    /// resolved. The package's <c>metadata.tags</c> are added to the record's tag set.
    /// </summary>
    public PublishResponse Publish(KnowledgePackage package)
    {
        var stored = KnowledgeIds.EnsureIds(KnowledgeValidator.Validate(package));
        stored = stored with { Trust = stored.Trust?.Signature is { } s ? new KnowledgeTrust { Signature = s } : null };
        var id = stored.KnowledgeId!;
        var author = stored.Content!.GeneratedBy!;
        if (!Versions(id).Any(v => v.VersionId == stored.VersionId))
        {
            Replica.WriteField(id, PackageField, KnowledgeJson.Serialize(stored), v => AuthorOf(v.Value) == author);
            foreach (var tag in stored.Metadata!.Tags ?? [])
            {
                if (!Replica.State.Tags(id).Contains(tag))
                {
                    Replica.AddTag(id, tag);
                }
            }
        }

        return new PublishResponse
        {
            KnowledgeId = id,
            VersionId = stored.VersionId!,
            Conflicts = ConflictDetector.ConflictsWith(Versions(id), stored.VersionId!),
        };
    }

    /// <summary>The surviving versions of a knowledge id, largest stamp first.</summary>
    public IReadOnlyList<KnowledgeVersion> Versions(string knowledgeId)
        => [.. Replica.State.FieldVersions(knowledgeId, PackageField)
            .Select(v => new KnowledgeVersion(KnowledgeJson.Deserialize(v.Value), v.Stamp, v.Dot))];

    /// <summary>
    /// The package readers see (the last-writer-wins version) as its author signed it, with the
    /// current trust score and votes; null when the id is unknown or deleted. The live tag set
    /// (which may differ from the signed <c>metadata.tags</c>) is <see cref="Tags"/>.
    /// </summary>
    public KnowledgePackage? Get(string knowledgeId)
    {
        if (ConflictDetector.Winner(Versions(knowledgeId)) is not { } winner)
        {
            return null;
        }

        var score = Score(knowledgeId);
        return winner.Package with
        {
            Trust = new KnowledgeTrust { Signature = winner.Package.Trust?.Signature, Score = score.Score, Votes = score.Votes },
        };
    }

    /// <summary>The record's live tags: those of every published version, plus or minus later tag edits.</summary>
    public IReadOnlyList<string> Tags(string knowledgeId) => Replica.State.Tags(knowledgeId);

    /// <summary>Deletes a knowledge id (every version, tag and vote observed here).</summary>
    public void Delete(string knowledgeId) => Replica.Delete(knowledgeId);

    /// <summary>Applies a <c>resolve_conflict</c> request (see <see cref="ConflictResolver"/>).</summary>
    public ResolutionPlan Resolve(string knowledgeId, ConflictResolution resolution)
    {
        var plan = ConflictResolver.Plan(Versions(knowledgeId), resolution);
        if (plan.NewVersion is { } merged)
        {
            Replica.WriteField(knowledgeId, PackageField, KnowledgeJson.Serialize(merged));
        }
        else
        {
            Replica.RemoveField(knowledgeId, PackageField, v => plan.RemovedVersionIds.Contains(VersionOf(v.Value)));
        }

        return plan;
    }

    /// <summary>
    /// Records a signed vote by a registered node (its latest vote replaces its earlier one) and
    /// returns the new score. Throws <see cref="KnowledgeValidationException"/> for an unknown
    /// package, an unregistered voter or a signature that does not verify.
    /// </summary>
    public EvaluationResponse Evaluate(string knowledgeId, SignedVote vote)
    {
        vote.Vote.Validate();
        if (vote.Vote.KnowledgeId != knowledgeId)
        {
            throw new KnowledgeValidationException("knowledge_id", "the vote is for another package");
        }

        if (Versions(knowledgeId).Count == 0)
        {
            throw new KnowledgeValidationException("knowledge_id", "no such package");
        }

        var profile = _registry(vote.Vote.Voter) ?? throw new KnowledgeValidationException("evaluating_node", "is not a registered node");
        if (!KnowledgeSigner.VerifyVote(vote, profile.PublicKeyHex))
        {
            throw new KnowledgeValidationException("signature", "does not verify with the voter's registered key");
        }

        Replica.CastVote(knowledgeId, vote);
        var score = Score(knowledgeId);
        return new EvaluationResponse { KnowledgeId = knowledgeId, NewScore = score.Score, Votes = score.Votes };
    }

    /// <summary>The trust score from the latest vote of each voter.</summary>
    public TrustScore Score(string knowledgeId)
        => _scorer.Score(Replica.State.Votes(knowledgeId).Select(v => v.Vote), _registry);

    private static string AuthorOf(string json) => Property(json, "content", "generated_by");

    private static string VersionOf(string json) => Property(json, "version_id", null);

    private static string Property(string json, string name, string? inner)
    {
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement.GetProperty(name);
        return (inner is null ? element : element.GetProperty(inner)).GetString() ?? string.Empty;
    }
}
