using RoseForest.Datasets;

namespace RoseForest.Federated.Bench.Data;

/// <summary>Fashion-MNIST scaled to [0, 1]: 60,000 training and 10,000 test images with their labels.</summary>
internal sealed class FashionData
{
    public const int Features = 784;
    public const int Classes = 10;

    private FashionData(float[][] trainX, byte[] trainY, float[][] testX, byte[] testY) => (TrainX, TrainY, TestX, TestY) = (trainX, trainY, testX, testY);

    public float[][] TrainX { get; }

    public byte[] TrainY { get; }

    public float[][] TestX { get; }

    public byte[] TestY { get; }

    public static FashionData Load(string directory = FashionMnist.DefaultDirectory)
    {
        static float[][] Scale(float[][] images)
        {
            foreach (var row in images)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] /= 255f;
                }
            }

            return images;
        }

        return new FashionData(
            Scale(FashionMnist.Train(directory)),
            FashionMnist.TrainLabels(directory),
            Scale(FashionMnist.Test(directory)),
            Idx.ReadLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")));
    }
}
