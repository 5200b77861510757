using System.Security.Cryptography;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Http.Sync;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Points;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>
/// What peers see: the changes feed (the current record of every change after a checkpoint, in
/// sequence order, optionally only the points a payload filter matches, deletes always), applying a
/// peer's batch (join, advance that peer's checkpoint in the same durable commit, then write the
/// points whose reading changed into the engine), checkpoints, conflicts and hashes.
/// </summary>
internal sealed partial class CollectionReplica
{
    /// <summary>A batch stops growing past this many bytes (well under the server's 32 MiB request limit), whatever the limit.</summary>
    private const long MaxBatchBytes = 8L << 20;

    /// <summary>Writes a batch of changes after <paramref name="since"/> (JSON, see docs/api.md "Sync").</summary>
    public async Task ReadChangesAsync(Utf8JsonWriter w, long since, int limit, Filter? filter, string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            BatchHeader.WriteStart(w, NodeId, Collection, key, since);
            var count = 0;
            var end = _lastSeq;
            foreach (var (seq, id) in _bySeq.GetViewBetween((since + 1, string.Empty), (long.MaxValue, string.Empty)))
            {
                if (count > 0 && (count == limit || w.BytesPending + w.BytesCommitted > MaxBatchBytes))
                {
                    break; // end stays at the last record written
                }

                var record = _records[id].Record;
                end = seq;
                if (filter is not null)
                {
                    var view = Resolve(record);
                    if (view.Alive && !filter.Matches(PointId.Parse(id), PayloadElement(view.Payload)))
                    {
                        continue;
                    }
                }

                w.WriteStartObject();
                w.WriteNumber("seq", seq);
                w.WriteString("id", id);
                w.WritePropertyName("record");
                PointRecordCodec.Write(w, record);
                w.WriteEndObject();
                count++;
            }

            if (count < limit && w.BytesPending + w.BytesCommitted <= MaxBatchBytes)
            {
                end = _lastSeq; // everything after since was scanned (filtered-out records included)
            }

            BatchHeader.WriteEnd(w, end, _lastSeq);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last sequence of <paramref name="source"/>'s feed (read with <paramref name="key"/>) applied here.</summary>
    public async Task<long> GetCheckpointAsync(string source, string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _checkpoints.GetValueOrDefault((source, key));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies a batch read from a peer's feed.</summary>
    public async Task<ApplyOutcome> ApplyAsync(JsonElement batch, CancellationToken cancellationToken)
    {
        var header = BatchHeader.Read(batch);
        if (header.Source == NodeId)
        {
            throw new ValidationException("source", $"a node does not apply its own changes ({NodeId}).");
        }

        var incoming = DecodeChanges(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var checkpoint = _checkpoints.GetValueOrDefault((header.Source, header.Key));
            if (header.IsAppliedAt(checkpoint))
            {
                return new ApplyOutcome(0, checkpoint, 0);
            }

            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            ReceiveStamps(incoming);
            var changed = 0;
            var conflicts = 0;
            var materialize = new List<string>();
            foreach (var (id, record) in incoming)
            {
                var slot = SlotFor(id);
                var before = Resolve(slot.Record);
                if (!slot.Record.Join(record))
                {
                    continue;
                }

                changed++;
                MarkChanged(id);
                conflicts += slot.Record.HasConflicts ? 1 : 0;
                if (!SameView(before, Resolve(slot.Record)))
                {
                    materialize.Add(id);
                }
            }

            _checkpoints[(header.Source, header.Key)] = header.End;
            _checkpointsDirty = true;
            _materializing.UnionWith(materialize);
            Commit();
            await MaterializeAsync(materialize, cancellationToken).ConfigureAwait(false);
            _materializing.Clear();
            _trackedDirty = true;
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return new ApplyOutcome(changed, header.End, conflicts);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ids of records changed after <paramref name="since"/> (what a peer at that checkpoint has yet to read), at most <paramref name="max"/>, and how many there are.</summary>
    public async Task<(IReadOnlyList<string> Ids, int Count)> PendingAsync(long since, int max, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            var view = _bySeq.GetViewBetween((since + 1, string.Empty), (long.MaxValue, string.Empty));
            return ([.. view.Take(max).Select(e => e.Id)], view.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The points holding concurrent versions, as JSON, at most <paramref name="limit"/>; returns how many there are.</summary>
    public async Task<int> WriteConflictsAsync(Utf8JsonWriter w, int limit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            var count = 0;
            w.WriteStartArray();
            foreach (var (id, slot) in _records.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (!slot.Record.HasConflicts)
                {
                    continue;
                }

                if (count++ >= limit)
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteStartArray("versions");
                foreach (var e in slot.Record.Entries)
                {
                    w.WriteStartObject();
                    w.WriteString("field", e.Field);
                    w.WriteString("node", e.Dot.Origin);
                    w.WriteString("stamp", e.Stamp.ToString());
                    w.WriteNumber("version", e.Version);
                    if (e.Json is { } json)
                    {
                        w.WritePropertyName("value");
                        w.WriteRawValue(json, skipInputValidation: true);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            return count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>SHA-256 over every record's canonical bytes in id order, the number of live points, and the number with conflicts.</summary>
    public async Task<(string Hash, int Points, int Conflicts)> RecordsHashAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int live = 0, conflicts = 0;
            foreach (var (id, slot) in _records.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (slot.Record.IsEmpty)
                {
                    continue;
                }

                hash.AppendData(PointRecordCodec.Canonical(id, slot.Record));
                live += Resolve(slot.Record).Alive ? 1 : 0;
                conflicts += slot.Record.HasConflicts ? 1 : 0;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), live, conflicts);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<(string Id, PointRecord Record)> DecodeChanges(JsonElement batch)
    {
        if (!batch.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException("changes", "is required: an array.");
        }

        var list = new List<(string, PointRecord)>(changes.GetArrayLength());
        var i = 0;
        foreach (var change in changes.EnumerateArray())
        {
            var path = $"changes[{i++}]";
            var id = change.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : string.Empty;
            if (!PointId.TryParse(id, out var pointId) || pointId.ToString() != id)
            {
                throw new ValidationException($"{path}.id", $"'{id}' is not a point id in canonical form.");
            }

            if (!change.TryGetProperty("record", out var record))
            {
                throw new ValidationException($"{path}.record", "is required.");
            }

            try
            {
                var decoded = PointRecordCodec.Read(record, Shape.Dimension, $"{path}.record");
                if (Shape.Geometry == Core.Geometry.Cosine && decoded.Entries.Any(e => e.Vector is { } v && v.All(x => x == 0)))
                {
                    throw new KnowledgeValidationException($"{path}.record", "a cosine collection holds no zero vector");
                }

                list.Add((id, decoded));
            }
            catch (KnowledgeValidationException e)
            {
                throw new ValidationException(e.Field, e.Reason);
            }
        }

        return list;
    }

    /// <summary>Absorbs the batch's largest stamp into the clock; refuses stamps too far in the future (a runaway peer clock).</summary>
    private void ReceiveStamps(List<(string Id, PointRecord Record)> incoming)
    {
        HlcTimestamp? max = null;
        foreach (var (_, record) in incoming)
        {
            if (record.MaxStamp is { } m && (max is null || m > max.Value))
            {
                max = m;
            }
        }

        if (max is not { } stamp)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (stamp.Physical - now > _maxClockDrift.TotalMilliseconds)
        {
            throw new ValidationException("changes", $"a write is stamped {stamp.Physical - now} ms ahead of this node's clock (limit {_maxClockDrift.TotalMilliseconds} ms); check the peer's clock.");
        }

        if (stamp > Clock.Current)
        {
            Clock.Receive(stamp);
        }
    }

    private bool SameView(PointView a, PointView b)
    {
        if (a.Alive != b.Alive)
        {
            return false;
        }

        if (!a.Alive)
        {
            return true;
        }

        if (!SameVector(a.Vector!, b.Vector!) || a.Payload.Count != b.Payload.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Payload.Count; i++)
        {
            if (a.Payload[i].Key != b.Payload[i].Key || a.Payload[i].Value != b.Payload[i].Value)
            {
                return false;
            }
        }

        return true;
    }
}
