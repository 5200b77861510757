using System.Diagnostics;
using System.Text.Json;
using RoseForest.Engine;
using Xunit.Abstractions;

namespace RoseForest.Engine.Tests;

/// <summary>
/// A real child process writes acknowledged batches with sync durability; the test kills it
/// with SIGKILL at random moments, reopens the folder and checks that every acknowledged batch
/// is present and intact, and that the one batch in flight is either wholly there or absent.
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 24;

    [Fact]
    public async Task Acknowledged_batches_survive_sigkill_and_no_batch_is_half_applied()
    {
        const int seed = 8128;
        var rng = new Random(seed);
        using var tmp = new TempDir();
        var next = 0;
        var killsDuringWrites = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var (acked, ready) = await RunAndKillAsync(tmp.Path, next, delayMs: rng.Next(0, 500));
            if (ready)
            {
                killsDuringWrites++;
            }

            var lastAcked = acked.Count == 0 ? next - 1 : acked.Max();
            Assert.True(acked.Count == 0 || acked.Min() == next, $"kill {kill}: acks should start at batch {next}");

            await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
            if (!db.TryGetCollection(CrashWorkload.Collection, out var col))
            {
                Assert.Equal(-1, lastAcked); // killed before the collection existed
                continue;
            }

            var present = await VerifyAsync(col, lastAcked, $"seed {seed}, kill {kill}");
            output.WriteLine($"kill {kill}: started at {next}, acked up to {lastAcked}, batches present up to {present} ({col.Recovery})");
            next = present + 1;
        }

        Assert.True(killsDuringWrites >= Kills / 2, $"only {killsDuringWrites} of {Kills} kills landed while batches were being written");
        Assert.True(next > Kills, "the children should have written batches between kills");
    }

    /// <summary>Checks the recovered state and returns the last batch present.</summary>
    private static async Task<int> VerifyAsync(Collection col, int lastAcked, string context)
    {
        var counter = await col.GetAsync(CrashWorkload.Counter, withVector: true);
        var present = counter is null ? -1 : counter.Payload!.Value.GetProperty("batch").GetInt32();
        Assert.True(present == lastAcked || present == lastAcked + 1, $"{context}: counter says batch {present} but {lastAcked} was the last acknowledged");
        if (counter is not null)
        {
            Assert.Equal(CrashWorkload.Vector(present, -1), counter.Vector);
        }

        // Every batch up to the counter's is whole and exact; nothing after it exists.
        var expected = (long)(present + 1) * CrashWorkload.PointsPerBatch + (present >= 0 ? 1 : 0);
        Assert.Equal(expected, await col.CountAsync());
        for (var b = 0; b <= present; b++)
        {
            var ids = Enumerable.Range(0, CrashWorkload.PointsPerBatch).Select(j => PointId.FromNumber((ulong)((b * CrashWorkload.PointsPerBatch) + j))).ToList();
            var records = await col.GetAsync(ids, withVector: true);
            Assert.True(records.Count == CrashWorkload.PointsPerBatch, $"{context}: batch {b} has {records.Count} of {CrashWorkload.PointsPerBatch} points");
            for (var j = 0; j < records.Count; j++)
            {
                Assert.Equal(CrashWorkload.Vector(b, j), records[j].Vector);
                Assert.Equal(b, records[j].Payload!.Value.GetProperty("batch").GetInt32());
                Assert.Equal(j, records[j].Payload!.Value.GetProperty("j").GetInt32());
            }
        }

        return present;
    }

    private static async Task<(List<int> Acked, bool Ready)> RunAndKillAsync(string dataDir, int firstBatch, int delayMs)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "RoseForest.CrashHost.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        start.ArgumentList.Add(dataDir);
        start.ArgumentList.Add(firstBatch.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var acked = new List<int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data == "READY")
            {
                ready.TrySetResult();
            }
            else if (e.Data.StartsWith("ACK ", StringComparison.Ordinal))
            {
                lock (acked)
                {
                    acked.Add(int.Parse(e.Data.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Mostly kill while batches are being written; sometimes during start-up and recovery.
        var wasReady = false;
        if (delayMs % 5 != 0)
        {
            var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(ready.Task.IsCompleted, $"the child did not start: {errors}");
            wasReady = true;
        }

        await Task.Delay(delayMs);
        Assert.False(process.HasExited, $"the child exited on its own: {errors}");
        process.Kill(); // SIGKILL on Unix
        await process.WaitForExitAsync();

        // Lines the child printed before it died are acknowledgements it received.
        lock (acked)
        {
            return ([.. acked], wasReady);
        }
    }
}
