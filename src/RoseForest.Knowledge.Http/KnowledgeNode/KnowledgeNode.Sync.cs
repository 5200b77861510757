using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RoseForest.Knowledge.Conflicts;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Http.Sync;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// The knowledge scope of sync: the feed of deltas (a reader behind the last snapshot gets the whole
/// state as one change), applying a peer's batch (joined, merged, checkpoint advanced, all in one
/// durable record), acknowledgement vectors for delete-marker collection, and content hashes.
/// </summary>
internal sealed partial class KnowledgeNode
{
    /// <summary>Writes the deltas after <paramref name="since"/>.</summary>
    public async Task ReadChangesAsync(Utf8JsonWriter w, long since, int limit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            BatchHeader.WriteStart(w, NodeId, null, string.Empty, since);
            long end;
            if (since < _feedBase)
            {
                // The feed before the last snapshot is gone: the whole state stands for every change through the last.
                w.WriteStartObject();
                w.WriteNumber("seq", _lastSeq);
                w.WritePropertyName("delta");
                Replica.State.WriteJson(w);
                w.WriteEndObject();
                end = _lastSeq;
            }
            else
            {
                end = Math.Min(_lastSeq, Math.Max(since, _feedBase));
                var start = LowerBound(since + 1);
                for (var i = start; i < _feed.Count && i - start < limit; i++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("seq", _feed[i].Seq);
                    w.WritePropertyName("delta");
                    _feed[i].Delta.WriteJson(w);
                    w.WriteEndObject();
                    end = _feed[i].Seq;
                }

                if (start >= _feed.Count)
                {
                    end = _lastSeq;
                }
            }

            BatchHeader.WriteEnd(w, end, _lastSeq);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last sequence of <paramref name="source"/>'s feed applied here.</summary>
    public Task<long> GetCheckpointAsync(string source, string key, CancellationToken cancellationToken)
        => LockedAsync(() => _checkpoints.GetValueOrDefault((source, key)), cancellationToken);

    /// <summary>The newest sequence of this node's feed.</summary>
    public Task<long> LastSequenceAsync(CancellationToken cancellationToken) => LockedAsync(() => _lastSeq, cancellationToken);

    /// <summary>Applies a batch of a peer's deltas.</summary>
    public async Task<ApplyOutcome> ApplyAsync(JsonElement batch, CancellationToken cancellationToken)
    {
        var header = BatchHeader.Read(batch);
        if (header.Source == NodeId)
        {
            throw new ValidationException("source", $"a node does not apply its own changes ({NodeId}).");
        }

        var joined = new ReplicaState();
        if (batch.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var change in changes.EnumerateArray())
            {
                try
                {
                    joined.Merge(ReplicaState.ReadJson(change.GetProperty("delta")));
                }
                catch (KnowledgeValidationException e)
                {
                    throw new ValidationException($"changes[{i}].delta.{e.Field}", e.Reason);
                }
                catch (KeyNotFoundException)
                {
                    throw new ValidationException($"changes[{i}].delta", "is required.");
                }

                i++;
            }
        }

        if (joined.MaxStamp() is { } max && max.Physical - _time.GetUtcNow().ToUnixTimeMilliseconds() > _options.MaxClockDrift.TotalMilliseconds)
        {
            throw new ValidationException("changes", $"a change is stamped {max} ahead of this node's clock by more than {_options.MaxClockDrift}; check the peer's clock.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var checkpoint = _checkpoints.GetValueOrDefault((header.Source, header.Key));
            if (header.IsAppliedAt(checkpoint))
            {
                return new ApplyOutcome(0, checkpoint, 0);
            }

            var changed = Replica.Merge(joined);
            _checkpoints[(header.Source, header.Key)] = header.End;
            _metaDirty = true;
            Commit();
            var touched = joined.RecordIds.Concat(joined.Tombstones.Select(t => t.RecordId)).Distinct(StringComparer.Ordinal).ToList();
            await ReindexAsync(touched, cancellationToken).ConfigureAwait(false);
            var conflicts = touched.Count(id => !id.StartsWith('@') && ConflictDetector.IsInConflict(VisibleVersions(id)));
            return new ApplyOutcome(changed ? touched.Count : 0, header.End, conflicts);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>This node's acknowledgement vector.</summary>
    public Task<IReadOnlyDictionary<string, long>> AcknowledgementVectorAsync(CancellationToken cancellationToken)
        => LockedAsync(() => Replica.AcknowledgementVector, cancellationToken);

    /// <summary>Records a peer's acknowledgement vector and collects the delete markers every known peer has seen.</summary>
    public Task<int> AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken)
        => LockedAsync(() =>
        {
            CheckNodeId(peer, "peer");
            Replica.Acknowledge(peer, vector);
            var held = _acks.TryGetValue(peer, out var old) ? new Dictionary<string, long>(old, StringComparer.Ordinal) : new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (origin, max) in vector)
            {
                held[origin] = Math.Max(held.GetValueOrDefault(origin), max);
            }

            _acks[peer] = held;
            _metaDirty = true;
            var collected = Replica.CollectGarbage();
            Commit();
            return collected;
        }, cancellationToken);

    /// <summary>
    /// Two hashes: <c>content</c>, SHA-256 over what readers can see (each live knowledge id's readable
    /// version, tags and authentic votes, and each registration), and <c>crdt</c>, the replica's
    /// <see cref="ReplicaState.ContentHash"/> (delete markers included, so it agrees only once every
    /// replica has collected the same markers). Also the number of knowledge ids.
    /// </summary>
    public Task<(string Content, string Crdt, int Count)> HashesAsync(CancellationToken cancellationToken)
        => LockedAsync(() =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var count = 0;
            foreach (var id in Replica.State.LiveRecordIds)
            {
                var text = new StringBuilder(id).Append('\n');
                if (id.StartsWith('@'))
                {
                    foreach (var field in Replica.State.Fields(id))
                    {
                        Replica.State.TryGetField(id, field, out var value);
                        text.Append(field).Append('=').Append(value).Append('\n');
                    }
                }
                else if (ConflictDetector.Winner(VisibleVersions(id)) is { } winner)
                {
                    count++;
                    text.Append(KnowledgeJson.Serialize(winner.Package)).Append('\n').AppendJoin(',', Book.Tags(id)).Append('\n');
                    foreach (var vote in Replica.State.Votes(id).Where(IsAuthentic))
                    {
                        text.Append(vote.Vote.Voter).Append(':').Append(vote.Vote.Kind).Append(':').Append(vote.Vote.Stamp).Append('\n');
                    }
                }

                hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), Replica.State.ContentHash(), count);
        }, cancellationToken);

    private int LowerBound(long seq)
    {
        int lo = 0, hi = _feed.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_feed[mid].Seq < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
