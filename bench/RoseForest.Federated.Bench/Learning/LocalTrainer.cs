using RoseForest.Federated.Bench.Data;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Bench.Learning;

/// <summary>Plain minibatch SGD on one client's samples, with FedProx's proximal term and an optional label flip (a Byzantine client).</summary>
internal sealed class LocalTrainer(IClassifier model, FashionData data, int[] samples)
{
    public int SampleCount => samples.Length;

    /// <summary>Trains from <paramref name="start"/>; returns the parameters and the mean training loss and accuracy of the last epoch.</summary>
    public (float[] Parameters, float Loss, float Accuracy) Train(float[] start, TrainSettings settings, ulong seed, float proximalMu = 0, bool flipLabels = false)
    {
        var p = (float[])start.Clone();
        var g = new float[p.Length];
        var scratch = new float[model.ScratchLength];
        var order = (int[])samples.Clone();
        var random = new SeededRandomSource(seed);
        var (loss, correct) = (0.0, 0);
        for (var epoch = 0; epoch < settings.LocalEpochs; epoch++)
        {
            random.Shuffle(order);
            (loss, correct) = (0.0, 0);
            for (var b = 0; b < order.Length; b += settings.BatchSize)
            {
                var batch = order.AsSpan(b, Math.Min(settings.BatchSize, order.Length - b));
                Array.Clear(g);
                foreach (var i in batch)
                {
                    var label = flipLabels ? FashionData.Classes - 1 - data.TrainY[i] : data.TrainY[i];
                    var l = model.AccumulateGradient(p, data.TrainX[i], label, g, scratch);
                    loss += l;
                    correct += l < MathF.Log(2) ? 1 : 0; // p(label) > 1/2: surely the argmax
                }

                var scale = settings.LearningRate / batch.Length;
                for (var k = 0; k < p.Length; k++)
                {
                    p[k] -= (scale * g[k]) + (proximalMu == 0 ? 0 : settings.LearningRate * proximalMu * (p[k] - start[k]));
                }
            }
        }

        return (p, (float)(loss / order.Length), correct / (float)order.Length);
    }

    /// <summary>Test accuracy of a parameter vector, split over the cores.</summary>
    public static double Accuracy(IClassifier model, float[] p, FashionData data)
    {
        var correct = 0;
        Parallel.For(0, Environment.ProcessorCount, () => (0, new float[model.ScratchLength]), (part, _, local) =>
        {
            for (var i = part; i < data.TestX.Length; i += Environment.ProcessorCount)
            {
                local.Item1 += model.Predict(p, data.TestX[i], local.Item2) == data.TestY[i] ? 1 : 0;
            }

            return local;
        }, local => Interlocked.Add(ref correct, local.Item1));
        return correct / (double)data.TestX.Length;
    }
}

/// <summary>Local training settings, shared by federated clients and the centralized baseline.</summary>
internal sealed record TrainSettings(int LocalEpochs, int BatchSize, float LearningRate);
