namespace RoseForest.Datasets;

/// <summary>
/// Fashion-MNIST from Debian's dataset-fashion-mnist package (IDX files, gzip): 60,000 train and
/// 10,000 test images of 28×28 bytes, read as 784-d float vectors with values 0..255.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The 60,000 training images.</summary>
    public static float[][] Train(string directory = DefaultDirectory) => Idx.ReadImages(Path.Combine(Require(directory), "train-images-idx3-ubyte.gz"));

    /// <summary>The 10,000 test images.</summary>
    public static float[][] Test(string directory = DefaultDirectory) => Idx.ReadImages(Path.Combine(Require(directory), "t10k-images-idx3-ubyte.gz"));

    /// <summary>The class (0-9) of each training image.</summary>
    public static byte[] TrainLabels(string directory = DefaultDirectory) => Idx.ReadLabels(Path.Combine(Require(directory), "train-labels-idx1-ubyte.gz"));

    private static string Require(string directory) =>
        Directory.Exists(directory)
            ? directory
            : throw new FileNotFoundException($"Fashion-MNIST not found in {directory}; install it with: apt-get install dataset-fashion-mnist");
}
