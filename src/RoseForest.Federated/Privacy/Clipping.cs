using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Privacy;

/// <summary>L2 clipping of model updates (the "flat clipping" of McMahan et al. 2018, as Flower does it).</summary>
internal static class Clipping
{
    /// <summary>The update's delta from the current model as a flat vector.</summary>
    public static double[] Delta(ModelParameters current, ClientUpdate update)
    {
        var values = update.Tensors.Flatten();
        if (update.Kind == UpdateKind.Delta)
        {
            return UpdateMath.ToDouble(values);
        }

        var baseline = current.Flatten();
        var delta = new double[values.Length];
        for (var i = 0; i < delta.Length; i++)
        {
            delta[i] = (double)values[i] - baseline[i];
        }

        return delta;
    }

    /// <summary>Scales the delta by min(1, C / ‖delta‖) in place and returns its norm before clipping.</summary>
    public static double ClipInPlace(double[] delta, double clippingNorm)
    {
        var norm = UpdateMath.Norm(delta);
        if (norm > clippingNorm)
        {
            var scale = clippingNorm / norm;
            for (var i = 0; i < delta.Length; i++)
            {
                delta[i] *= scale;
            }
        }

        return norm;
    }

    /// <summary>The update replaced by its clipped delta; returns the norm before clipping.</summary>
    public static ClientUpdate ClipUpdate(ModelParameters current, ClientUpdate update, double clippingNorm, out double norm)
    {
        var delta = Delta(current, update);
        norm = ClipInPlace(delta, clippingNorm);
        return update.WithTensors(UpdateMath.ToModel(current, delta), UpdateKind.Delta);
    }

    /// <summary>Adds N(0, stddev²) to every value of the model.</summary>
    public static ModelParameters AddGaussianNoise(ModelParameters model, double stddev, Randomness.IRandomSource random)
    {
        var flat = UpdateMath.ToDouble(model.Flatten());
        for (var i = 0; i < flat.Length; i++)
        {
            flat[i] += stddev * random.NextGaussian();
        }

        return UpdateMath.ToModel(model, flat);
    }

    public static void SaveRandom(BinaryWriter writer, Randomness.IRandomSource random)
    {
        var state = random is Randomness.IRestorableRandomSource r ? r.ExportState() : [];
        writer.Write(state.Length);
        writer.Write(state);
    }

    public static void LoadRandom(BinaryReader reader, Randomness.IRandomSource random)
    {
        var state = reader.ReadBytes(reader.ReadInt32());
        if (state.Length > 0 && random is Randomness.IRestorableRandomSource r)
        {
            r.ImportState(state);
        }
    }
}
