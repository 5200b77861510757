using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>Vector arithmetic shared by the strategies, in double precision over flattened models.</summary>
internal static class UpdateMath
{
    /// <summary>Each update as full flat parameters: a delta is added to the current model.</summary>
    public static double[][] AsParameters(ModelParameters current, IReadOnlyList<ClientUpdate> updates)
    {
        if (updates.Count == 0)
        {
            throw new ArgumentException("A round needs at least one update to aggregate.", nameof(updates));
        }

        var baseline = current.Flatten();
        var result = new double[updates.Count][];
        for (var u = 0; u < updates.Count; u++)
        {
            var flat = updates[u].Tensors.Flatten();
            if (flat.Length != baseline.Length)
            {
                throw new ArgumentException($"Update {u} has {flat.Length} values; the model has {baseline.Length}.", nameof(updates));
            }

            var isDelta = updates[u].Kind == UpdateKind.Delta;
            var row = new double[flat.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = isDelta ? (double)baseline[i] + flat[i] : flat[i];
            }

            result[u] = row;
        }

        return result;
    }

    public static double[] ToDouble(float[] values) => [.. values.Select(v => (double)v)];

    public static ModelParameters ToModel(ModelParameters layout, double[] flat) =>
        layout.WithFlatValues(flat.Select(v => (float)v).ToArray());

    /// <summary>Σ wᵢ·xᵢ / Σ wᵢ.</summary>
    public static double[] WeightedAverage(IReadOnlyList<double[]> vectors, IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var result = new double[vectors[0].Length];
        for (var v = 0; v < vectors.Count; v++)
        {
            var w = weights[v];
            var x = vectors[v];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] += w * x[i];
            }
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= total;
        }

        return result;
    }

    public static double[] SampleWeights(IReadOnlyList<ClientUpdate> updates) => [.. updates.Select(u => (double)u.SampleCount)];

    public static double SquaredDistance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    public static double Norm(double[] a) => Math.Sqrt(a.Sum(x => x * x));

    /// <summary>The median of values (the mean of the two middle ones for an even count); sorts in place.</summary>
    public static double MedianInPlace(double[] values)
    {
        Array.Sort(values);
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2.0;
    }

    public static void WriteArray(BinaryWriter writer, double[]? values)
    {
        writer.Write(values is null ? -1 : values.Length);
        foreach (var v in values ?? [])
        {
            writer.Write(v);
        }
    }

    public static double[]? ReadArray(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0)
        {
            return null;
        }

        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return values;
    }
}
