using System.Text.Json;
using RoseForest.Knowledge.Points;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>
/// The tracker: local writes from the engine's change feed become record writes. Upserts,
/// deletes, top-level payload merges, overwrites, clears and removals of top-level keys are taken
/// from the logged operation itself; a payload edit at a nested path rereads the point's top-level
/// key from the engine. A write whose value the record already reads (a replay after a restart, the
/// overlap of the first scan) changes nothing. The first time, and after the engine's log dropped
/// what the tracker had not read, a full scan compares every point instead.
/// </summary>
internal sealed partial class CollectionReplica
{
    private const int FeedBatch = 1000;

    /// <summary>How far the tracker moves before it moves its pin (each move rewrites the pin file with two fsyncs).</summary>
    private const long PinStep = 1024;
    private IVectorCollection? _points;

    private IVectorCollection Points => _points ??= _db.GetCollection(Collection);

    private bool IsMemoryCollection { get; set; }

    /// <summary>Reads every local write not yet tracked, commits, moves the engine pin, and repairs echoes a local write overtook.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        for (var pass = 0; pass < 4; pass++)
        {
            var repair = new HashSet<string>(StringComparer.Ordinal);
            var reread = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            if (IsMemoryCollection)
            {
                await ScanAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (_trackedLsn == 0 || !await ReadFeedAsync(repair, reread, cancellationToken).ConfigureAwait(false))
            {
                // First time, or the log no longer holds what we need: scan, then follow the feed from here.
                var next = (await _db.GetCollectionInfoAsync(Collection, cancellationToken).ConfigureAwait(false)).LastLsn + 1;
                await _db.Changes.RegisterFollowerAsync(Collection, FollowerName, next, cancellationToken).ConfigureAwait(false);
                _pinnedLsn = next;
                await ScanAsync(cancellationToken).ConfigureAwait(false);
                _trackedLsn = next;
                _trackedDirty = true;
                _echoes.Clear();
            }

            if (reread.Count > 0)
            {
                await RereadAsync(reread, cancellationToken).ConfigureAwait(false);
            }

            Commit();
            if (!IsMemoryCollection)
            {
                _echoes.RemoveWhere(lsn => lsn < _trackedLsn);
                if (_committedTrackedLsn - _pinnedLsn >= PinStep)
                {
                    // The pin trails the committed position: the engine keeps a little more log than needed, never less.
                    await _db.Changes.RegisterFollowerAsync(Collection, FollowerName, _committedTrackedLsn, cancellationToken).ConfigureAwait(false);
                    _pinnedLsn = _committedTrackedLsn;
                }
            }

            if (repair.Count == 0)
            {
                return;
            }

            await MaterializeAsync(repair, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Follows the feed to its end; false when the log no longer holds the tracker's position.</summary>
    private async Task<bool> ReadFeedAsync(HashSet<string> repair, Dictionary<string, HashSet<string>> reread, CancellationToken cancellationToken)
    {
        while (true)
        {
            ChangeBatch batch;
            try
            {
                batch = await _db.Changes.ReadAsync(Collection, _trackedLsn, FeedBatch, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
            catch (ChangeFeedGapException)
            {
                return false;
            }

            foreach (var change in batch.Records)
            {
                if (_echoes.Remove(change.Lsn))
                {
                    CheckEcho(change.Operation, repair);
                }
                else
                {
                    TrackLocal(change.Operation, reread);
                }
            }

            if (batch.NextLsn != _trackedLsn)
            {
                _trackedLsn = batch.NextLsn;
                _trackedDirty = true;
            }

            if (batch.NextLsn > batch.LastLsn)
            {
                return true;
            }
        }
    }

    private void TrackLocal(ChangeOperation operation, Dictionary<string, HashSet<string>> reread)
    {
        switch (operation)
        {
            case UpsertChange u:
                foreach (var p in u.Points)
                {
                    // Sync carries the unnamed dense vector; a point with only named vectors is not synced.
                    if (p.Vector is { } vector)
                    {
                        LocalUpsert(p.Id.ToString(), vector, p.Payload);
                    }
                }

                break;
            case DeleteChange d:
                foreach (var id in d.Ids)
                {
                    LocalDelete(id.ToString());
                }

                break;
            case SetPayloadChange { Key: null } s:
                foreach (var id in s.Ids)
                {
                    LocalPatch(id.ToString(), s.Payload);
                }

                break;
            case SetPayloadChange s:
                foreach (var id in s.Ids)
                {
                    Reread(reread, id.ToString(), TopLevelKey(s.Key!));
                }

                break;
            case OverwritePayloadChange o:
                foreach (var id in o.Ids)
                {
                    LocalReplacePayload(id.ToString(), o.Payload);
                }

                break;
            case ClearPayloadChange c:
                foreach (var id in c.Ids)
                {
                    LocalReplacePayload(id.ToString(), null);
                }

                break;
            case DeletePayloadKeysChange k:
                foreach (var id in k.Ids)
                {
                    foreach (var key in k.Keys)
                    {
                        if (IsBareKey(key))
                        {
                            LocalRemoveKey(id.ToString(), key);
                        }
                        else
                        {
                            Reread(reread, id.ToString(), TopLevelKey(key));
                        }
                    }
                }

                break;
        }
    }

    /// <summary>An echo of our own materialization: if a local write overtook it, the engine now holds a stale value.</summary>
    private void CheckEcho(ChangeOperation operation, HashSet<string> repair)
    {
        switch (operation)
        {
            case UpsertChange u:
                foreach (var p in u.Points)
                {
                    var id = p.Id.ToString();
                    var view = _records.TryGetValue(id, out var slot) ? Resolve(slot.Record) : PointView.Gone;
                    if (!view.Alive || p.Vector is not { } vector || !SameVector(view.Vector!, vector) || !SamePayload(view.Payload, p.Payload))
                    {
                        repair.Add(id);
                    }
                }

                break;
            case DeleteChange d:
                foreach (var id in d.Ids)
                {
                    var key = id.ToString();
                    if (_records.TryGetValue(key, out var slot) && Resolve(slot.Record).Alive)
                    {
                        repair.Add(key);
                    }
                }

                break;
        }
    }

    /// <summary>Compares every engine point with its record (local writes the feed could not tell us about).</summary>
    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        PointId? offset = null;
        do
        {
            var page = await Points.ScrollAsync(new ScrollRequest { Limit = 1000, Offset = offset, WithPayload = PayloadSelector.All, WithVector = true }, cancellationToken).ConfigureAwait(false);
            foreach (var point in page.Points)
            {
                if (point.Vector is not { } vector)
                {
                    continue; // named vectors only: not synced
                }

                var id = point.Id.ToString();
                present.Add(id);
                LocalUpsert(id, vector, point.Payload);
            }

            offset = page.NextOffset;
        }
        while (offset is not null);

        foreach (var (id, slot) in _records.ToList())
        {
            if (!present.Contains(id) && Resolve(slot.Record).Alive)
            {
                LocalDelete(id);
            }
        }
    }

    private async Task RereadAsync(Dictionary<string, HashSet<string>> reread, CancellationToken cancellationToken)
    {
        var ids = reread.Keys.Select(PointId.Parse).ToList();
        var points = await Points.GetAsync(ids, PayloadSelector.All, withVector: false, cancellationToken).ConfigureAwait(false);
        foreach (var point in points)
        {
            var id = point.Id.ToString();
            if (!_records.TryGetValue(id, out var slot) || !Resolve(slot.Record).Alive)
            {
                continue;
            }

            var view = Resolve(slot.Record);
            var fields = new List<KeyValuePair<string, PointValue?>>();
            foreach (var key in reread[id])
            {
                var now = point.Payload is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(key, out var v) ? v : (JsonElement?)null;
                var held = view.Payload.FirstOrDefault(kv => kv.Key == key).Value;
                if (now is { } value && (held is null || !SameJson(held, value)))
                {
                    fields.Add(new(PointFields.Payload(key), PointValue.OfJson(value.GetRawText())));
                }
                else if (now is null && HasField(slot.Record, PointFields.Payload(key)))
                {
                    fields.Add(new(PointFields.Payload(key), null));
                }
            }

            Write(id, slot, fields);
        }
    }

    private void LocalUpsert(string id, float[] vector, JsonElement? payload)
    {
        var slot = SlotFor(id);
        var view = Resolve(slot.Record);
        if (view.Alive && SameVector(view.Vector!, vector) && SamePayload(view.Payload, payload))
        {
            return;
        }

        var fields = new List<KeyValuePair<string, PointValue?>> { new(PointFields.Vector, PointValue.Of(vector)) };
        AddPayloadReplacement(slot.Record, payload, fields);
        Write(id, slot, fields);
    }

    private void LocalDelete(string id)
    {
        if (_records.TryGetValue(id, out var slot) && slot.Record.Entries.Any(e => e.Field != PointFields.Deleted))
        {
            slot.Record.Delete(NodeId, Clock.Now());
            MarkChanged(id);
        }
    }

    private void LocalPatch(string id, JsonElement patch)
    {
        if (!_records.TryGetValue(id, out var slot) || patch.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var view = Resolve(slot.Record);
        var fields = new List<KeyValuePair<string, PointValue?>>();
        foreach (var property in patch.EnumerateObject())
        {
            var field = PointFields.Payload(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (HasField(slot.Record, field))
                {
                    fields.Add(new(field, null));
                }
            }
            else if (view.Payload.FirstOrDefault(kv => kv.Key == property.Name).Value is not { } held || !SameJson(held, property.Value))
            {
                fields.Add(new(field, PointValue.OfJson(property.Value.GetRawText())));
            }
        }

        Write(id, slot, fields);
    }

    private void LocalReplacePayload(string id, JsonElement? payload)
    {
        if (!_records.TryGetValue(id, out var slot))
        {
            return;
        }

        var view = Resolve(slot.Record);
        if (view.Alive && SamePayload(view.Payload, payload))
        {
            return;
        }

        var fields = new List<KeyValuePair<string, PointValue?>>();
        AddPayloadReplacement(slot.Record, payload, fields);
        Write(id, slot, fields);
    }

    private void LocalRemoveKey(string id, string key)
    {
        if (_records.TryGetValue(id, out var slot) && HasField(slot.Record, PointFields.Payload(key)))
        {
            Write(id, slot, [new(PointFields.Payload(key), null)]);
        }
    }

    private void Write(string id, Slot slot, List<KeyValuePair<string, PointValue?>> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }

        slot.Record.Write(NodeId, Clock.Now(), fields);
        MarkChanged(id);
    }

    /// <summary>Writes every key of <paramref name="payload"/> and removes every other payload field the record holds.</summary>
    private static void AddPayloadReplacement(PointRecord record, JsonElement? payload, List<KeyValuePair<string, PointValue?>> fields)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (payload is { ValueKind: JsonValueKind.Object } p)
        {
            foreach (var property in p.EnumerateObject())
            {
                if (keys.Add(property.Name))
                {
                    fields.Add(new(PointFields.Payload(property.Name), PointValue.OfJson(property.Value.GetRawText())));
                }
            }
        }

        foreach (var entry in record.Entries)
        {
            if (PointFields.IsPayload(entry.Field, out var key) && keys.Add(key))
            {
                fields.Add(new(entry.Field, null));
            }
        }
    }

    private static bool HasField(PointRecord record, string field) => record.Entries.Any(e => e.Field == field);

    private static void Reread(Dictionary<string, HashSet<string>> reread, string id, string key)
    {
        if (!reread.TryGetValue(id, out var keys))
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            reread[id] = keys;
        }

        keys.Add(key);
    }

    /// <summary>The first key of a payload path (<c>a</c> of <c>a.b[0]</c>, <c>x y</c> of <c>"x y".z</c>).</summary>
    internal static string TopLevelKey(string path)
    {
        if (path.StartsWith('"'))
        {
            var close = path.IndexOf('"', 1);
            return close < 0 ? path[1..] : path[1..close];
        }

        var end = path.IndexOfAny(['.', '[']);
        return end < 0 ? path : path[..end];
    }

    private static bool IsBareKey(string path) => !path.StartsWith('"') && path.IndexOfAny(['.', '[']) < 0;
}
