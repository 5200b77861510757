using RoseForest.Federated.Model;

namespace RoseForest.Federated.Bench.Learning;

/// <summary>A classifier over a flat parameter vector: the layout as named tensors, the loss gradient of a sample, and prediction.</summary>
internal interface IClassifier
{
    string Name { get; }

    /// <summary>The named tensors (all zero) that give the flat vector its layout.</summary>
    ModelParameters Layout { get; }

    /// <summary>A seeded initial parameter vector.</summary>
    float[] Initial(ulong seed);

    /// <summary>Adds the cross-entropy gradient of one sample to <paramref name="gradient"/> and returns the loss; <paramref name="scratch"/> is per-thread work space.</summary>
    float AccumulateGradient(float[] parameters, float[] x, int label, float[] gradient, float[] scratch);

    /// <summary>The predicted class.</summary>
    int Predict(float[] parameters, float[] x, float[] scratch);

    int ScratchLength { get; }
}
