using RoseForest.Federated.Model;

namespace RoseForest.Federated.Coordination;

/// <summary>Binary encodings of models and updates inside snapshots (little-endian, via BinaryWriter).</summary>
internal static class BinaryCodec
{
    public static void WriteModel(BinaryWriter w, ModelParameters model)
    {
        w.Write(model.Tensors.Count);
        foreach (var t in model.Tensors)
        {
            w.Write(t.Name);
            w.Write(t.Shape.Count);
            foreach (var d in t.Shape)
            {
                w.Write(d);
            }

            w.Write(t.Data.Length);
            foreach (var v in t.Data)
            {
                w.Write(v);
            }
        }
    }

    public static ModelParameters ReadModel(BinaryReader r)
    {
        var count = r.ReadInt32();
        var tensors = new List<NamedTensor>(count);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var shape = new int[r.ReadInt32()];
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = r.ReadInt32();
            }

            var data = new float[r.ReadInt32()];
            for (var k = 0; k < data.Length; k++)
            {
                data[k] = r.ReadSingle();
            }

            tensors.Add(new NamedTensor(name, shape, data));
        }

        return new ModelParameters(tensors);
    }

    public static void WriteUpdate(BinaryWriter w, ClientUpdate u)
    {
        w.Write(u.ClientId);
        w.Write(u.Round);
        w.Write((byte)u.Kind);
        w.Write(u.SampleCount);
        w.Write(u.TimestampUnixMs);
        w.Write(u.Metrics.Loss);
        w.Write(u.Metrics.Accuracy);
        var extra = u.Metrics.Extra ?? new Dictionary<string, double>();
        w.Write(extra.Count);
        foreach (var (key, value) in extra.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
        }

        WriteModel(w, u.Tensors);
    }

    public static ClientUpdate ReadUpdate(BinaryReader r)
    {
        var clientId = r.ReadString();
        var round = r.ReadInt32();
        var kind = (UpdateKind)r.ReadByte();
        var samples = r.ReadInt32();
        var timestamp = r.ReadInt64();
        var loss = r.ReadSingle();
        var accuracy = r.ReadSingle();
        var extraCount = r.ReadInt32();
        Dictionary<string, double>? extra = extraCount == 0 ? null : [];
        for (var i = 0; i < extraCount; i++)
        {
            extra![r.ReadString()] = r.ReadDouble();
        }

        var tensors = ReadModel(r);
        return new ClientUpdate(clientId, round, tensors, samples, kind, new UpdateMetrics(loss, accuracy, extra), timestamp);
    }

    public static void WriteStrings(BinaryWriter w, IReadOnlyCollection<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    public static List<string> ReadStrings(BinaryReader r)
    {
        var count = r.ReadInt32();
        var values = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(r.ReadString());
        }

        return values;
    }
}
