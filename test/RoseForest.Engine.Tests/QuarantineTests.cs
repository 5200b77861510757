using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using RoseForest.Storage.Wal;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Issue 10: a log record that cannot be applied (written by an older version with a bug) must
/// not stop the collection, let alone the database, from opening: recovery sets it aside in
/// <c>quarantine.jsonl</c> with its LSN and the error, reports it, and goes on.
/// </summary>
public class QuarantineTests
{
    private static CollectionOptions Options => new() { Dimension = 2, Geometry = Geometry.Euclid, Durability = Durability.Sync };

    [Fact]
    public async Task A_record_that_cannot_apply_is_quarantined_and_the_records_after_it_still_apply()
    {
        using var tmp = new TempDir();
        long lastLsn;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await db.CreateCollectionAsync("c", Options);
            await c.UpsertAsync([new PointStruct(1, [1, 0], JsonElement.Parse("""{"nest":[{"a":"100"}]}"""))]);
            lastLsn = c.LastLsn;
        }

        // What an older version logged for set_payload with key "a b" (which today's parser, like
        // Qdrant's, refuses), a record of an unknown kind, then a good upsert.
        var wal = Path.Combine(tmp.Path, "collections", "c", "wal");
        AppendRecords(wal, lastLsn, SetPayloadRecord(1, """{"x":1}""", "a b"), [99, 0, 0, 0, 0], UpsertRecord(2, [0, 1]));

        using var logs = new ListLoggerFactory();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path, new DatabaseOptions { LoggerFactory = logs }))
        {
            var c = db.GetCollection("c");
            Assert.Equal(2, logs.Messages.Count(m => m.Level == Microsoft.Extensions.Logging.LogLevel.Warning && m.Text.Contains("quarantine.jsonl", StringComparison.Ordinal)));
            Assert.Collection(
                c.Recovery!.Quarantined,
                q => Assert.Equal(lastLsn + 1, q.Lsn),
                q => Assert.Equal(lastLsn + 2, q.Lsn));
            Assert.Contains("a b", c.Recovery.Quarantined[0].Error, StringComparison.Ordinal);
            Assert.Equal(2, c.GetInfo().QuarantinedRecords);
            Assert.Equal(CollectionStatus.Green, c.GetInfo().Status);
            Assert.Equal(2, await c.CountAsync()); // the upsert after the bad records applied
            Assert.Equal("""{"nest":[{"a":"100"}]}""", (await c.GetAsync(1))!.Payload!.Value.GetRawText());

            // The collection takes writes as usual.
            await c.UpsertAsync([new PointStruct(3, [1, 1])]);
        }

        var lines = File.ReadAllLines(Path.Combine(tmp.Path, "collections", "c", "quarantine.jsonl"));
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(lastLsn + 1, first.RootElement.GetProperty("lsn").GetInt64());
        Assert.Equal(SetPayloadRecord(1, """{"x":1}""", "a b"), Convert.FromBase64String(first.RootElement.GetProperty("record").GetString()!));

        // Reopening (the log was checkpointed at close) keeps the file and the count, with no duplicates.
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = db.GetCollection("c");
            Assert.Empty(c.Recovery!.Quarantined);
            Assert.Equal(2, c.GetInfo().QuarantinedRecords);
            Assert.Equal(3, await c.CountAsync());
        }
    }

    [Fact]
    public async Task A_quarantined_record_met_again_on_a_later_open_is_not_added_twice()
    {
        using var tmp = new TempDir();
        long lastLsn;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            lastLsn = (await db.CreateCollectionAsync("c", Options)).LastLsn;
        }

        var collection = Path.Combine(tmp.Path, "collections", "c");
        AppendRecords(Path.Combine(collection, "wal"), lastLsn, SetPayloadRecord(1, """{"x":1}""", "[0]"));

        // Copy the folder as a crash would leave it after the first open (before any checkpoint drops the log).
        using var crashed = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            Assert.Single(db.GetCollection("c").Recovery!.Quarantined);
            RecoveryTests.CopyDirectory(collection, Path.Combine(crashed.Path, "collections", "c"));
        }

        await using var again = await RoseForestDatabase.OpenAsync(crashed.Path);
        Assert.Single(again.GetCollection("c").Recovery!.Quarantined);
        Assert.Single(File.ReadAllLines(Path.Combine(crashed.Path, "collections", "c", "quarantine.jsonl")));
        Assert.Equal(1, again.GetCollection("c").GetInfo().QuarantinedRecords);
    }

    /// <summary>Appends raw records to a collection's log after <paramref name="afterLsn"/>, as an older version would have.</summary>
    internal static void AppendRecords(string walDirectory, long afterLsn, params byte[][] records)
    {
        using var wal = WriteAheadLog.Open(walDirectory, new WalOptions(), afterLsn, salvage: false, static (_, _) => { }, out _);
        foreach (var record in records)
        {
            wal.Append(record);
        }

        wal.Commit(fsync: true);
    }

    /// <summary>A set_payload record in the format of docs/file-formats.md (kind 3), with any key text.</summary>
    internal static byte[] SetPayloadRecord(ulong id, string patch, string key)
    {
        using var m = new MemoryStream();
        m.WriteByte(3);
        WriteIds(m, id);
        WriteInt32(m, Encoding.UTF8.GetByteCount(patch));
        m.Write(Encoding.UTF8.GetBytes(patch));
        Span<byte> u16 = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(u16, (ushort)Encoding.UTF8.GetByteCount(key));
        m.Write(u16);
        m.Write(Encoding.UTF8.GetBytes(key));
        return m.ToArray();
    }

    private static byte[] UpsertRecord(ulong id, float[] vector)
    {
        using var m = new MemoryStream();
        m.WriteByte(1);
        WriteIds(m, id);
        WriteInt32(m, vector.Length);
        Span<byte> f = stackalloc byte[4];
        foreach (var x in vector)
        {
            BinaryPrimitives.WriteSingleLittleEndian(f, x);
            m.Write(f);
        }

        WriteInt32(m, -1);
        return m.ToArray();
    }

    private static void WriteIds(MemoryStream m, ulong id)
    {
        WriteInt32(m, 1);
        m.WriteByte(0);
        Span<byte> u64 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(u64, id);
        m.Write(u64);
    }

    private static void WriteInt32(MemoryStream m, int value)
    {
        Span<byte> i32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(i32, value);
        m.Write(i32);
    }

    /// <summary>Collects log messages.</summary>
    private sealed class ListLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        public List<(Microsoft.Extensions.Logging.LogLevel Level, string Text)> Messages { get; } = [];

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add((logLevel, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }
}
