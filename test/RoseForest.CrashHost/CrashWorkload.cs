using System.Text.Json;
using RoseForest.Engine;

/// <summary>
/// The deterministic workload shared by the crash child and the test that checks it: batch n
/// writes points n*10 .. n*10+9 and overwrites the counter point (id 1,000,000,000) with n.
/// </summary>
public static class CrashWorkload
{
    public const string Collection = "crash";
    public const int PointsPerBatch = 10;
    public const int Dimension = 16;
    public static readonly PointId Counter = PointId.FromNumber(1_000_000_000);

    public static CollectionOptions Options => new()
    {
        Dimension = Dimension,
        Geometry = Geometry.Euclid,
        Durability = Durability.Sync,
        WalSegmentBytes = 16 * 1024,
        CheckpointWalBytes = 48 * 1024,
    };

    public static PointStruct[] Batch(int n)
    {
        var points = new PointStruct[PointsPerBatch + 1];
        for (var j = 0; j < PointsPerBatch; j++)
        {
            points[j] = new PointStruct(PointId.FromNumber((ulong)((n * PointsPerBatch) + j)), Vector(n, j), JsonSerializer.SerializeToElement(new { batch = n, j }));
        }

        points[PointsPerBatch] = new PointStruct(Counter, Vector(n, -1), JsonSerializer.SerializeToElement(new { batch = n }));
        return points;
    }

    public static float[] Vector(int n, int j)
    {
        var v = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            v[i] = (float)Math.Sin((n * 31) + (j * 7) + i);
        }

        return v;
    }
}
