using RoseForest.Client;
using RoseForest.Engine;

namespace RoseForest.Cli.Tests;

/// <summary>
/// Issue 11: a follower that reads a real server's change feed over HTTP rebuilds an identical
/// collection, across checkpoints (its pin keeps the log), a SIGKILL of the server, and a clean
/// restart. The follower long-polls in the background while the writes go on.
/// </summary>
public class ChangeFeedProcessTests
{
    [Fact]
    public async Task A_follower_over_http_stays_identical_across_checkpoints_sigkill_and_restart()
    {
        using var tmp = new TempDir();
        var options = new CollectionOptions { Dimension = 4, Geometry = Geometry.Euclid };
        await using var replicaDb = RoseForestDatabase.CreateInMemory();
        var replica = await replicaDb.CreateCollectionAsync("c", options);
        var rng = new Random(11);
        long next = 1;
        Uri? address = null;
        using var stop = new CancellationTokenSource();

        // The follower: long polls whatever server is up, applies, moves its pin.
        async Task FollowAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                if (Volatile.Read(ref address) is not { } at)
                {
                    await Task.Delay(20);
                    continue;
                }

                try
                {
                    await using var source = new RoseForestClient(new RoseForestClientOptions { BaseAddress = at, Timeout = TimeSpan.FromSeconds(10) });
                    var batch = await source.Changes.ReadAsync("c", next, 50, TimeSpan.FromMilliseconds(200), stop.Token);
                    foreach (var change in batch.Records)
                    {
                        Assert.Equal(next, change.Lsn);
                        await change.Operation.ApplyAsync(replica);
                        next = change.Lsn + 1;
                    }

                    if (batch.Records.Count > 0)
                    {
                        await source.Changes.RegisterFollowerAsync("c", "replica", next, stop.Token);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or RemoteException)
                {
                    await Task.Delay(50); // the server is down or restarting
                }
            }
        }

        var follower = Task.Run(FollowAsync);
        for (var phase = 0; phase < 3; phase++)
        {
            await using var server = await ServerProcess.StartAsync(tmp.Path);
            await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = server.Address });
            if (phase == 0)
            {
                await client.CreateCollectionAsync("c", options);
                await client.Changes.RegisterFollowerAsync("c", "replica", 1);
            }

            Volatile.Write(ref address, server.Address);
            var c = client.GetCollection("c");
            for (var burst = 0; burst < 4; burst++)
            {
                await ChangeWorkload.RandomWritesAsync(c, rng, 40);
                await client.Snapshots.CreateAsync("c"); // a checkpoint: the pin must keep the follower's log
            }

            await ChangeWorkload.RandomWritesAsync(c, rng, 30);
            var last = (await client.GetCollectionInfoAsync("c")).LastLsn;
            if (phase == 1)
            {
                // Catch up, then compare while the server is up.
                await WaitUntilAsync(() => Volatile.Read(ref next) == last + 1);
                await ChangeWorkload.AssertSameAsync(c, replica);
            }

            Volatile.Write(ref address, null);
            server.Signal(phase == 1 ? 15 : 9); // SIGTERM once, SIGKILL otherwise
            await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        await using (var server = await ServerProcess.StartAsync(tmp.Path))
        {
            await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = server.Address });
            Volatile.Write(ref address, server.Address);
            var last = (await client.GetCollectionInfoAsync("c")).LastLsn;
            await WaitUntilAsync(() => Volatile.Read(ref next) == last + 1);
            await ChangeWorkload.AssertSameAsync(client.GetCollection("c"), replica);
            stop.Cancel();
            await follower;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 1200 && !done(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(done(), "the follower did not catch up within a minute");
    }
}
