// The crash test's child process: upserts numbered batches into a sync-durability collection and
// prints "ACK n" once batch n is acknowledged, until the test kills it with SIGKILL.
// Usage: RoseForest.CrashHost DATA_DIR FIRST_BATCH
using System.Globalization;
using RoseForest.Engine;

var dataDir = args[0];
var batch = int.Parse(args[1], CultureInfo.InvariantCulture);

await using var db = await RoseForestDatabase.OpenAsync(dataDir);
if (!db.TryGetCollection(CrashWorkload.Collection, out var collection))
{
    collection = await db.CreateCollectionAsync(CrashWorkload.Collection, CrashWorkload.Options);
}

Console.Out.WriteLine("READY");
Console.Out.Flush();
while (true)
{
    await collection.UpsertAsync(CrashWorkload.Batch(batch));
    Console.Out.WriteLine($"ACK {batch}");
    Console.Out.Flush();
    if (batch % 25 == 24)
    {
        await collection.CheckpointAsync();
    }

    batch++;
}
