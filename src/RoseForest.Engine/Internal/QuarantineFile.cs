using System.Text;
using System.Text.Json;
using RoseForest.Storage.IO;

namespace RoseForest.Engine.Internal;

/// <summary>
/// Log records that recovery could not apply (written by an older version with a bug), set
/// aside beside the log instead of refusing to open: <c>&lt;collection&gt;/quarantine.jsonl</c>,
/// one JSON object per line with the record's LSN, the error, the time and the record's bytes
/// (base64), so nothing is lost and an operator can inspect or re-apply it. The file is
/// rewritten atomically (tmp, fsync, rename, directory fsync) when a record is added; a record
/// already there (the same LSN, met again on a later open) is not added twice.
/// </summary>
internal sealed class QuarantineFile
{
    public const string FileName = "quarantine.jsonl";

    private readonly string _path;
    private readonly List<QuarantinedRecord> _records = [];

    private QuarantineFile(string path) => _path = path;

    public IReadOnlyList<QuarantinedRecord> Records => _records;

    public static QuarantineFile Open(string directory)
    {
        var file = new QuarantineFile(Path.Combine(directory, FileName));
        if (File.Exists(file._path))
        {
            foreach (var line in File.ReadLines(file._path))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                file._records.Add(new QuarantinedRecord(
                    root.GetProperty("lsn").GetInt64(),
                    root.GetProperty("error").GetString() ?? string.Empty,
                    root.GetProperty("quarantined_at").GetDateTimeOffset(),
                    Convert.FromBase64String(root.GetProperty("record").GetString() ?? string.Empty)));
            }
        }

        return file;
    }

    /// <summary>Adds a record unless its LSN is already quarantined; durable when it returns.</summary>
    public bool Add(long lsn, ReadOnlySpan<byte> record, string error, DateTimeOffset now)
    {
        foreach (var r in _records)
        {
            if (r.Lsn == lsn)
            {
                return false;
            }
        }

        _records.Add(new QuarantinedRecord(lsn, error, now, record.ToArray()));
        var text = new StringBuilder();
        foreach (var r in _records)
        {
            text.Append(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["lsn"] = r.Lsn,
                ["error"] = r.Error,
                ["quarantined_at"] = r.QuarantinedAt,
                ["record"] = Convert.ToBase64String(r.Record),
            })).Append('\n');
        }

        DurableFile.WriteAllBytesAtomic(_path, Encoding.UTF8.GetBytes(text.ToString()));
        return true;
    }
}

/// <summary>A log record recovery set aside because it could not be applied.</summary>
/// <param name="Lsn">The record's LSN.</param>
/// <param name="Error">Why it could not be applied.</param>
/// <param name="QuarantinedAt">When it was set aside.</param>
/// <param name="Record">The record's bytes, as logged.</param>
internal sealed record QuarantinedRecord(long Lsn, string Error, DateTimeOffset QuarantinedAt, byte[] Record);
