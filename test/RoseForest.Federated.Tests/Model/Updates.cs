using RoseForest.Federated.Model;

namespace RoseForest.Federated.Tests.Model;

/// <summary>Small models and updates for tests.</summary>
internal static class Updates
{
    /// <summary>A two-tensor model: "w" of shape [2,2] and "b" of shape [2].</summary>
    public static ModelParameters TwoTensorModel(float[] w, float[] b) =>
        new([new NamedTensor("w", [2, 2], w), new NamedTensor("b", [2], b)]);

    public static ModelParameters Zeros() => TwoTensorModel(new float[4], new float[2]);

    /// <summary>A model of one flat tensor "v".</summary>
    public static ModelParameters Flat(params float[] values) => new([new NamedTensor("v", [values.Length], values)]);

    public static ClientUpdate Update(string client, int round, ModelParameters tensors, int samples = 10, UpdateKind kind = UpdateKind.Parameters) =>
        new(client, round, tensors, samples, kind);

    /// <summary>n random flat vectors of dimension dim from a seeded generator.</summary>
    public static float[][] RandomVectors(int n, int dim, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray())];
    }
}
