using BenchmarkDotNet.Attributes;
using RoseForest.Storage.Wal;

namespace RoseForest.Benchmarks;

/// <summary>
/// The WAL's append path without fsync (what `buffered` durability pays per write): stage one
/// record of a 128-d point's size, then commit it to the OS in one write, in a temporary folder.
/// Old segments are dropped as the log rotates so the folder stays small.
/// </summary>
[Config(typeof(BenchConfig))]
public class WalAppendBenchmarks
{
    private string _directory = "";
    private WriteAheadLog? _wal;
    private byte[] _payload = [];

    [Params(64, 560)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "roseforest-bench-wal-" + Guid.NewGuid().ToString("N"));
        _wal = WriteAheadLog.Open(_directory, new WalOptions { SegmentBytes = 4 << 20 }, 0, salvage: false, (_, _) => { }, out _);
        _payload = new byte[PayloadBytes];
        new Random(42).NextBytes(_payload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public long AppendAndCommit()
    {
        var lsn = _wal!.Append(_payload);
        _wal.Commit(fsync: false);
        if ((lsn & 4095) == 0 && _wal.SegmentCount > 2)
        {
            _wal.DropThrough(lsn - 1);
        }

        return lsn;
    }
}
