using System.Buffers;
using System.Text.Json;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Http.Sync;
using RoseForest.Knowledge.Points;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>
/// The replica's durable form. A commit is one log record, a JSON object: <c>records</c> (each
/// changed record with its id and sequence number), <c>checkpoints</c>, <c>tracked</c> (the next
/// engine LSN the tracker reads), <c>strategy</c> and <c>last_seq</c>. A snapshot is the same object
/// holding everything, so loading replays the snapshot and then the records with one routine.
/// </summary>
internal sealed partial class CollectionReplica
{
    private const long MinCompactionBytes = 4L << 20;

    private void Load()
    {
        if (_log.LoadedSnapshot is { } snapshot)
        {
            Replay(snapshot);
        }

        foreach (var record in _log.LoadedRecords)
        {
            Replay(record);
        }

        _log.ReleaseLoaded();
        HlcTimestamp? max = null;
        foreach (var slot in _records.Values)
        {
            if (slot.Record.MaxStamp is { } m && (max is null || m > max.Value))
            {
                max = m;
            }
        }

        if (max is { } seen)
        {
            Clock.Receive(seen);
        }
    }

    private void Replay(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        foreach (var r in root.GetProperty("records").EnumerateArray())
        {
            var id = r.GetProperty("id").GetString()!;
            var seq = r.GetProperty("seq").GetInt64();
            var record = PointRecordCodec.Read(r.GetProperty("record"), Shape.Dimension);
            if (_records.TryGetValue(id, out var slot))
            {
                _bySeq.Remove((slot.Seq, id));
                slot.Record = record;
                slot.Seq = seq;
            }
            else
            {
                _records[id] = new Slot(record, seq);
            }

            _bySeq.Add((seq, id));
        }

        SyncJson.ReadCheckpoints(root, _checkpoints);

        if (root.TryGetProperty("materializing", out var materializing))
        {
            _materializing.Clear();
            foreach (var id in materializing.EnumerateArray())
            {
                _materializing.Add(id.GetString()!);
            }
        }

        _trackedLsn = Math.Max(_trackedLsn, root.GetProperty("tracked").GetInt64());
        _committedTrackedLsn = _trackedLsn;
        _pinnedLsn = _trackedLsn;
        _lastSeq = Math.Max(_lastSeq, root.GetProperty("last_seq").GetInt64());
        Strategy = StrategyNames.Parse(root.GetProperty("strategy").GetString());
    }

    /// <summary>Writes what changed since the last commit as one durable log record (nothing when nothing changed).</summary>
    private void Commit()
    {
        // The tracker's position alone is not worth an fsync: replaying writes it already took in
        // changes nothing (they compare equal), and every commit carries the position anyway.
        if (_dirty.Count == 0 && !_checkpointsDirty && !(_trackedDirty && _committedTrackedLsn == 0))
        {
            return;
        }

        _log.Append(Serialize(_dirty, _checkpointsDirty));
        _committedTrackedLsn = _trackedLsn;
        _dirty.Clear();
        _checkpointsDirty = false;
        _trackedDirty = false;
        var estimate = _records.Count * ((Shape.Dimension * 6L) + 256);
        if (_log.BytesSinceSnapshot > Math.Max(MinCompactionBytes, 2 * estimate))
        {
            _log.Snapshot(Serialize(_records.Keys, includeCheckpoints: true));
        }
    }

    private byte[] Serialize(IEnumerable<string> ids, bool includeCheckpoints)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("records");
            foreach (var id in ids)
            {
                var slot = _records[id];
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteNumber("seq", slot.Seq);
                w.WritePropertyName("record");
                PointRecordCodec.Write(w, slot.Record);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (includeCheckpoints)
            {
                SyncJson.WriteCheckpoints(w, _checkpoints);
            }

            w.WriteStartArray("materializing");
            foreach (var id in _materializing)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteNumber("tracked", _trackedLsn);
            w.WriteNumber("last_seq", _lastSeq);
            w.WriteString("strategy", StrategyNames.Name(Strategy));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
