using System.Text;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Coordination;

/// <summary>The coordinator's snapshot: a versioned binary form of the task's state (see docs/federated.md).</summary>
public sealed partial class FederatedCoordinator
{
    /// <summary>The snapshot's magic bytes, "RFFL".</summary>
    private static readonly byte[] Magic = "RFFL"u8.ToArray();

    /// <summary>The snapshot format version this code writes and reads.</summary>
    public const ushort SnapshotVersion = 1;

    /// <summary>
    /// Replaces this coordinator's state by the task's saved snapshot, if there is one, and
    /// re-arms the open round's deadline. The strategy passed to the constructor must be of the
    /// same kind and options as the one that saved it. Returns false when nothing was saved.
    /// </summary>
    /// <exception cref="SnapshotFormatException">The snapshot is of another format version or task.</exception>
    public bool TryRestore()
    {
        lock (_gate)
        {
            var bytes = _store.Load(TaskId);
            if (bytes is null)
            {
                return false;
            }

            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic))
            {
                throw new SnapshotFormatException("The snapshot does not start with RFFL.");
            }

            var version = reader.ReadUInt16();
            if (version != SnapshotVersion)
            {
                throw new SnapshotFormatException($"Snapshot format {version} is not supported (this build reads {SnapshotVersion}).");
            }

            if (reader.ReadString() != TaskId)
            {
                throw new SnapshotFormatException("The snapshot belongs to another task.");
            }

            ReadState(reader);
            if (CurrentPlan is { } plan)
            {
                ArmTimer(plan.Deadline);
            }

            return true;
        }
    }

    private void Save()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(SnapshotVersion);
            writer.Write(TaskId);
            WriteState(writer);
        }

        _store.Save(TaskId, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private void WriteState(BinaryWriter w)
    {
        w.Write((byte)Status);
        w.Write(Round);
        BinaryCodec.WriteModel(w, Model);
        BinaryCodec.WriteStrings(w, _available);
        w.Write(CurrentPlan is not null);
        if (CurrentPlan is { } plan)
        {
            w.Write(plan.Attempt);
            w.Write(plan.Deadline.UtcTicks);
            w.Write(_availableAtSelection);
            BinaryCodec.WriteStrings(w, [.. plan.Clients]);
            w.Write(_received.Count);
            foreach (var update in _received.Values.OrderBy(u => u.ClientId, StringComparer.Ordinal))
            {
                BinaryCodec.WriteUpdate(w, update);
            }
        }

        w.Write(_history.Count);
        foreach (var h in _history)
        {
            w.Write(h.Round);
            w.Write(h.Attempts);
            BinaryCodec.WriteStrings(w, [.. h.Participants]);
            w.Write(h.Loss);
            w.Write(h.Accuracy);
            w.Write(h.Samples);
            w.Write(h.Epsilon.HasValue);
            w.Write(h.Epsilon ?? 0);
        }

        w.Write(_accountant.History.Count);
        foreach (var (sigma, q, steps) in _accountant.History)
        {
            w.Write(sigma);
            w.Write(q);
            w.Write(steps);
        }

        var rng = _random is IRestorableRandomSource r ? r.ExportState() : [];
        w.Write(rng.Length);
        w.Write(rng);
        _strategy.SaveState(w);
    }

    private void ReadState(BinaryReader r)
    {
        Status = (FederatedTaskStatus)r.ReadByte();
        Round = r.ReadInt32();
        Model = BinaryCodec.ReadModel(r);
        _available.Clear();
        _available.UnionWith(BinaryCodec.ReadStrings(r));
        _received.Clear();
        CurrentPlan = null;
        var open = r.ReadBoolean();
        var (attempt, deadline, clients) = (0, default(DateTimeOffset), new List<string>());
        if (open)
        {
            attempt = r.ReadInt32();
            deadline = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
            _availableAtSelection = r.ReadInt32();
            clients = BinaryCodec.ReadStrings(r);
            var received = r.ReadInt32();
            for (var i = 0; i < received; i++)
            {
                var update = BinaryCodec.ReadUpdate(r);
                _received.Add(update.ClientId, update);
            }
        }

        _history.Clear();
        var historyCount = r.ReadInt32();
        for (var i = 0; i < historyCount; i++)
        {
            var (round, attempts, participants) = (r.ReadInt32(), r.ReadInt32(), BinaryCodec.ReadStrings(r));
            var (loss, accuracy, samples) = (r.ReadDouble(), r.ReadDouble(), r.ReadInt64());
            var hasEpsilon = r.ReadBoolean();
            var epsilon = r.ReadDouble();
            _history.Add(new RoundRecord(round, attempts, participants, loss, accuracy, samples, hasEpsilon ? epsilon : null));
        }

        _accountant = new();
        var steps = r.ReadInt32();
        for (var i = 0; i < steps; i++)
        {
            _accountant.Step(r.ReadDouble(), r.ReadDouble(), r.ReadInt64());
        }

        var rng = r.ReadBytes(r.ReadInt32());
        if (rng.Length > 0 && _random is IRestorableRandomSource restorable)
        {
            restorable.ImportState(rng);
        }

        _strategy.LoadState(r);
        if (open)
        {
            // After the strategy's state: its configuration (e.g. the adaptive clipping norm) depends on it.
            CurrentPlan = new RoundPlan(Round, attempt, clients, Model, _strategy.ConfigureFit(Round), deadline);
        }
    }
}
