namespace RoseForest.Engine.Adapters;

internal sealed partial class QueryAdapter
{
    /// <summary>Everything but the scratch buffers: weights, optimiser and EWC state, versions, the replay buffer.</summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(Using);
        w.Write(Tenant);
        w.Write(Dimension);
        w.Write(Rank);
        w.Write(Alpha);
        w.Write(Updates);
        w.Write(UpdatesSinceConsolidation);
        w.Write(Version);
        w.Write(_adamStep);
        w.Write(_accCount);
        w.Write(_hasAnchor);
        foreach (var array in new[] { _a, _b, _mA, _vA, _mB, _vB, _fisherA, _fisherB, _accA, _accB, _anchorA, _anchorB })
        {
            WriteFloats(w, array);
        }

        w.Write(_versions.Count);
        foreach (var v in _versions)
        {
            w.Write(v.Number);
            w.Write(v.Created.UtcTicks);
            w.Write(v.Updates);
            w.Write(v.Reason);
            w.Write(v.HasAnchor);
            foreach (var array in new[] { v.A, v.B, v.FisherA, v.FisherB, v.AnchorA, v.AnchorB })
            {
                WriteFloats(w, array);
            }
        }

        w.Write(Replay.Capacity);
        w.Write(Replay.Count);
        for (var i = 0; i < Replay.Count; i++)
        {
            var e = Replay[i];
            WriteFloats(w, e.Query);
            WriteIds(w, e.Relevant);
            WriteIds(w, e.Irrelevant);
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; <see cref="InvalidDataException"/> when the shapes do not agree.</summary>
    public static QueryAdapter ReadFrom(BinaryReader r, int seed)
    {
        var vectorName = r.ReadString();
        var tenant = r.ReadString();
        var dimension = r.ReadInt32();
        var rank = r.ReadInt32();
        if (dimension <= 0 || rank is < 1 or > 8)
        {
            throw new InvalidDataException($"adapter shape {rank} x {dimension} is not valid.");
        }

        var alpha = r.ReadSingle();
        var adapter = new QueryAdapter(vectorName, tenant, dimension, rank, alpha, 0, DateTimeOffset.UnixEpoch, seed);
        adapter._versions.Clear();
        adapter.Updates = r.ReadInt64();
        adapter.UpdatesSinceConsolidation = r.ReadInt64();
        adapter.Version = r.ReadInt32();
        adapter._adamStep = r.ReadInt64();
        adapter._accCount = r.ReadInt64();
        adapter._hasAnchor = r.ReadBoolean();
        int ad = rank * dimension;
        adapter._a = ReadFloats(r, ad);
        adapter._b = ReadFloats(r, ad);
        adapter._mA = ReadFloats(r, ad);
        adapter._vA = ReadFloats(r, ad);
        adapter._mB = ReadFloats(r, ad);
        adapter._vB = ReadFloats(r, ad);
        adapter._fisherA = ReadFloats(r, ad);
        adapter._fisherB = ReadFloats(r, ad);
        adapter._accA = ReadFloats(r, ad);
        adapter._accB = ReadFloats(r, ad);
        adapter._anchorA = ReadFloats(r, ad);
        adapter._anchorB = ReadFloats(r, ad);
        var versions = r.ReadInt32();
        for (var i = 0; i < versions; i++)
        {
            var number = r.ReadInt32();
            var created = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
            var updates = r.ReadInt64();
            var reason = r.ReadString();
            var hasAnchor = r.ReadBoolean();
            adapter._versions.Add(new AdapterVersion(number, created, updates, reason, ReadFloats(r, ad), ReadFloats(r, ad), ReadFloats(r, ad), ReadFloats(r, ad), ReadFloats(r, ad), ReadFloats(r, ad), hasAnchor));
        }

        adapter.Replay = new ReplayBuffer(r.ReadInt32());
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            adapter.Replay.Add(new ReplayEntry(ReadFloats(r, dimension), ReadIds(r), ReadIds(r)));
        }

        adapter._weights = adapter.Snapshot();
        adapter.Dirty = false;
        return adapter;
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r, int expected)
    {
        var length = r.ReadInt32();
        if (length != expected)
        {
            throw new InvalidDataException($"expected {expected} numbers, found {length}.");
        }

        var values = new float[length];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException();
        }

        return values;
    }

    private static void WriteIds(BinaryWriter w, PointId[] ids)
    {
        w.Write(ids.Length);
        foreach (var id in ids)
        {
            w.Write(id.IsUuid);
            if (id.IsUuid)
            {
                w.Write(id.Uuid.ToByteArray());
            }
            else
            {
                w.Write(id.Number);
            }
        }
    }

    private static PointId[] ReadIds(BinaryReader r)
    {
        var ids = new PointId[r.ReadInt32()];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.ReadBoolean() ? PointId.FromUuid(new Guid(r.ReadBytes(16))) : PointId.FromNumber(r.ReadUInt64());
        }

        return ids;
    }
}
