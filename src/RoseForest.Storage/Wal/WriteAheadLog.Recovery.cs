using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Wal;

/// <summary>Receives one intact record during recovery, in LSN order.</summary>
/// <param name="lsn">The record's LSN.</param>
/// <param name="payload">The record's bytes; valid only during the call.</param>
public delegate void WalReplay(long lsn, ReadOnlySpan<byte> payload);

public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/> and replays every intact record
    /// with an LSN after <paramref name="snapshotLsn"/>. A torn record at the very end of the last
    /// segment (nothing intact after it) is cut off and reported. Damage anywhere else throws
    /// <see cref="StorageCorruptionException"/> naming the file and offset, unless
    /// <paramref name="salvage"/> is set: then everything before the damage is kept and the rest is
    /// moved to <c>*.damaged-*</c> files beside it, never deleted.
    /// </summary>
    public static WriteAheadLog Open(string directory, WalOptions options, long snapshotLsn, bool salvage, WalReplay replay, out WalRecoveryReport report) =>
        Open(directory, options, snapshotLsn, salvage, replay, out report, keepFromLsn: long.MaxValue);

    /// <summary>
    /// As <see cref="Open(string, WalOptions, long, bool, WalReplay, out WalRecoveryReport)"/>, but
    /// closed segments the snapshot covers are kept (not replayed) when they hold records from
    /// <paramref name="keepFromLsn"/> on: a change-feed follower still needs them.
    /// </summary>
    public static WriteAheadLog Open(string directory, WalOptions options, long snapshotLsn, bool salvage, WalReplay replay, out WalRecoveryReport report, long keepFromLsn)
    {
        Directory.CreateDirectory(directory);
        report = new WalRecoveryReport();
        var segments = ListSegments(directory);
        var closed = new List<ClosedSegment>();
        long lastLsn = snapshotLsn;
        string? appendPath = null;
        long appendFirstLsn = 0, appendLength = 0, appendNext = 0;

        for (var i = 0; i < segments.Count; i++)
        {
            var (path, nameLsn) = segments[i];
            var isLast = i == segments.Count - 1;

            // A segment wholly before the snapshot: the snapshot made it redundant, but the crash
            // came before it was dropped. Drop it now.
            if (!isLast && segments[i + 1].FirstLsn <= snapshotLsn + 1)
            {
                var segmentLastLsn = segments[i + 1].FirstLsn - 1;
                if (segmentLastLsn >= keepFromLsn)
                {
                    closed.Add(new ClosedSegment(path, nameLsn, segmentLastLsn, new FileInfo(path).Length));
                }
                else
                {
                    File.Delete(path);
                }

                continue;
            }

            var bytes = File.ReadAllBytes(path);
            var headerLsn = WalFormat.ReadHeader(bytes);
            var expected = lastLsn + 1;
            if (headerLsn is null || headerLsn != nameLsn)
            {
                if (isLast && bytes.Length < WalFormat.HeaderSize)
                {
                    // Crash while the segment was being created: no record was ever in it.
                    report.TornTails.Add(new WalDamage(path, 0, bytes.Length, "incomplete segment header", null));
                    File.Delete(path);
                    break;
                }

                Damage(report, salvage, path, bytes, 0, "bad segment header", segments, i);
                break;
            }

            var firstLsn = headerLsn.Value;
            if (firstLsn > expected || (i > 0 && firstLsn != expected))
            {
                Damage(report, salvage, path, bytes, 0, $"segment starts at LSN {firstLsn} but LSN {expected} was expected (records are missing)", segments, i);
                break;
            }

            var offset = (long)WalFormat.HeaderSize;
            var next = firstLsn;
            var damaged = false;
            while (offset < bytes.Length)
            {
                var size = WalFormat.TryReadRecord(bytes, offset, options.MaxRecordBytes, out var lsn, out var payload);
                if (size > 0 && lsn == next)
                {
                    if (lsn > snapshotLsn)
                    {
                        replay(lsn, payload);
                        report.RecordsReplayed++;
                    }

                    lastLsn = Math.Max(lastLsn, lsn);
                    next++;
                    offset += size;
                    continue;
                }

                var reason = size > 0 ? $"record has LSN {lsn} where {next} was expected" : DescribeBadRecord(bytes, offset, options.MaxRecordBytes);
                if (isLast && !AnyIntactRecordAfter(bytes, offset, next, options.MaxRecordBytes))
                {
                    report.TornTails.Add(new WalDamage(path, offset, bytes.Length - offset, reason, null));
                    using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                    RandomAccess.SetLength(handle, offset);
                    RandomAccess.FlushToDisk(handle);
                }
                else
                {
                    Damage(report, salvage, path, bytes, offset, reason, segments, i);
                }

                damaged = true;
                break;
            }

            if (damaged && !isLast)
            {
                // Salvage moved every later segment aside; this one, cut short, is where appends go.
                appendPath = path;
                appendFirstLsn = firstLsn;
                appendLength = offset;
                appendNext = next;
                break;
            }

            if (isLast)
            {
                appendPath = path;
                appendFirstLsn = firstLsn;
                appendLength = offset;
                appendNext = next;
            }
            else
            {
                closed.Add(new ClosedSegment(path, firstLsn, next - 1, bytes.Length));
            }
        }

        report.LastLsn = lastLsn;
        OpenSegment current;
        // Append to the last segment only when its records run up to the last LSN; otherwise (a
        // snapshot is newer than the log's tail, which buffered mode allows after a power loss)
        // start a fresh segment so LSNs stay contiguous inside every segment.
        if (appendPath is not null && appendNext == lastLsn + 1)
        {
            var handle = File.OpenHandle(appendPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            current = new OpenSegment(appendPath, appendFirstLsn, handle, appendLength);
        }
        else
        {
            if (appendPath is not null)
            {
                closed.Add(new ClosedSegment(appendPath, appendFirstLsn, appendNext - 1, appendLength));
            }

            current = CreateSegment(directory, lastLsn + 1);
        }

        return new WriteAheadLog(directory, options, closed, current, lastLsn);
    }

    private static List<(string Path, long FirstLsn)> ListSegments(string directory)
    {
        var list = new List<(string, long)>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (WalFormat.TryParseSegmentName(Path.GetFileName(path), out var lsn))
            {
                list.Add((path, lsn));
            }
        }

        list.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return list;
    }

    private static void Damage(WalRecoveryReport report, bool salvage, string path, byte[] bytes, long offset, string reason, List<(string Path, long FirstLsn)> segments, int index)
    {
        if (!salvage)
        {
            throw new StorageCorruptionException(path, offset, reason);
        }

        // Keep the good prefix of this segment; copy the rest aside, then cut it off.
        var aside = $"{path}.damaged-{offset}";
        File.WriteAllBytes(aside, bytes.AsSpan((int)offset).ToArray());
        report.Salvaged.Add(new WalDamage(path, offset, bytes.Length - offset, reason, aside));
        if (offset == 0)
        {
            File.Move(path, aside, overwrite: true);
        }
        else
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.SetLength(handle, offset);
            RandomAccess.FlushToDisk(handle);
        }

        // Every later segment follows the damage, so it goes aside whole.
        for (var j = index + 1; j < segments.Count; j++)
        {
            var later = segments[j].Path;
            var laterAside = later + ".damaged-0";
            var length = new FileInfo(later).Length;
            File.Move(later, laterAside, overwrite: true);
            report.Salvaged.Add(new WalDamage(later, 0, length, "follows damaged data", laterAside));
        }

        DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    private static string DescribeBadRecord(ReadOnlySpan<byte> bytes, long offset, int maxRecordBytes)
    {
        if (offset + WalFormat.RecordHeaderSize > bytes.Length)
        {
            return $"incomplete record header ({bytes.Length - offset} of {WalFormat.RecordHeaderSize} bytes)";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)offset..]);
        if (length > (uint)maxRecordBytes)
        {
            return $"implausible record length {length}";
        }

        return offset + WalFormat.RecordHeaderSize + length > bytes.Length
            ? $"record of {length} bytes runs past the end of the file"
            : "record checksum mismatch";
    }

    /// <summary>
    /// True when an intact record with a plausible LSN starts anywhere after <paramref name="offset"/>:
    /// then the damage is not a torn tail but corruption in the middle of the log.
    /// </summary>
    private static bool AnyIntactRecordAfter(ReadOnlySpan<byte> bytes, long offset, long expectedLsn, int maxRecordBytes)
    {
        for (var p = offset + 1; p + WalFormat.RecordHeaderSize <= bytes.Length; p++)
        {
            var lsn = BinaryPrimitives.ReadInt64LittleEndian(bytes[((int)p + 8)..]);
            if (lsn < expectedLsn || lsn > expectedLsn + (1L << 32))
            {
                continue;
            }

            if (WalFormat.TryReadRecord(bytes, p, maxRecordBytes, out _, out _) > 0)
            {
                return true;
            }
        }

        return false;
    }
}
