using System.Collections.Concurrent;
using System.Text;
using RoseForest.Storage.IO;

namespace RoseForest.Engine.Adapters;

/// <summary>
/// A collection's query adapters: the settings and one <see cref="QueryAdapter"/> per (vector
/// name, tenant). Kept in <c>adapters.bin</c> in the collection's folder (see
/// docs/file-formats.md): written whole and atomically with <see cref="DurableFile"/> when the
/// settings change, on every consolidation and rollback, and when the collection closes; the
/// updates since the last write are lost by a crash (a learned adapter is not data the log must
/// keep, and logging every feedback step would cost more than the step).
/// </summary>
internal sealed class AdapterSet
{
    public const string FileName = "adapters.bin";
    private static readonly byte[] Magic = "RFQA"u8.ToArray();
    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<(string Using, string Tenant), QueryAdapter> _adapters = new();
    private readonly string? _path;
    private readonly Lock _saveGate = new();
    private volatile AdapterOptions _options = new();
    private bool _optionsDirty;

    private AdapterSet(string? path) => _path = path;

    public AdapterOptions Options => _options;

    public bool IsEmpty => _adapters.IsEmpty;

    public ICollection<QueryAdapter> All => _adapters.Values;

    /// <summary>Loads the file when there is one. A damaged file is renamed <c>adapters.bin.damaged</c> and the collection starts with no adapters: a learned adapter must never stop a collection opening.</summary>
    public static AdapterSet Load(string? directory, Action<string> warn)
    {
        var set = new AdapterSet(directory is null ? null : Path.Combine(directory, FileName));
        if (set._path is null || !File.Exists(set._path))
        {
            return set;
        }

        try
        {
            set.Read(File.ReadAllBytes(set._path));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
        {
            set._adapters.Clear();
            set._options = new AdapterOptions();
            var aside = set._path + ".damaged";
            File.Move(set._path, aside, overwrite: true);
            warn($"{e.GetType().Name}: {e.Message}; set aside as {aside}");
        }

        return set;
    }

    /// <summary>The adapter, or null when it has had no feedback.</summary>
    public QueryAdapter? Find(string vectorName, string tenant) => _adapters.GetValueOrDefault((vectorName, tenant));

    public QueryAdapter GetOrAdd(string vectorName, string tenant, int dimension, DateTimeOffset now) =>
        _adapters.GetOrAdd((vectorName, tenant), key =>
        {
            var o = _options;
            return new QueryAdapter(key.Using, key.Tenant, dimension, o.Rank, (float)o.Alpha, o.ReplayCapacity, now, SeedOf(key.Using, key.Tenant));
        });

    /// <summary>Applies a settings change, checked whole first: nothing changes when any value is out of range.</summary>
    public AdapterOptions Configure(AdapterSettings s)
    {
        lock (_saveGate)
        {
            var o = _options;
            var next = o with
            {
                Enabled = s.Enabled ?? o.Enabled,
                Rank = s.Rank ?? o.Rank,
                Alpha = s.Alpha ?? o.Alpha,
                LearningRate = s.LearningRate ?? o.LearningRate,
                EwcLambda = s.EwcLambda ?? o.EwcLambda,
                ReplayCapacity = s.ReplayCapacity ?? o.ReplayCapacity,
                ReplayBatch = s.ReplayBatch ?? o.ReplayBatch,
                Negatives = s.Negatives ?? o.Negatives,
                Temperature = s.Temperature ?? o.Temperature,
                ConsolidateEvery = s.ConsolidateEvery ?? o.ConsolidateEvery,
                AbFraction = s.AbFraction ?? o.AbFraction,
            };
            Check(next);
            if (next.Rank != o.Rank && !s.Reset && !_adapters.IsEmpty)
            {
                throw new ValidationException("rank", $"the collection has trained adapters of rank {o.Rank}; changing the rank discards them, so send \"reset\": true with it.");
            }

            if (s.Reset)
            {
                _adapters.Clear();
            }

            foreach (var adapter in _adapters.Values)
            {
                lock (adapter.Gate)
                {
                    if (adapter.Alpha != (float)next.Alpha)
                    {
                        adapter.SetAlpha((float)next.Alpha);
                    }

                    adapter.ResizeReplay(next.ReplayCapacity);
                }
            }

            _options = next;
            _optionsDirty = true;
            return next;
        }
    }

    private static void Check(AdapterOptions o)
    {
        static void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                throw new ValidationException(field, message);
            }
        }

        Require(o.Rank is >= 1 and <= 8, "rank", $"must be between 1 and 8, got {o.Rank}.");
        Require(double.IsFinite(o.Alpha) && o.Alpha > 0, "alpha", "must be a positive number.");
        Require(double.IsFinite(o.LearningRate) && o.LearningRate > 0 && o.LearningRate <= 1, "learning_rate", "must be in (0, 1].");
        Require(double.IsFinite(o.EwcLambda) && o.EwcLambda >= 0, "ewc_lambda", "must be 0 or more.");
        Require(o.ReplayCapacity is >= 0 and <= 1_000_000, "replay_capacity", "must be between 0 and 1000000.");
        Require(o.ReplayBatch is >= 0 and <= 256, "replay_batch", "must be between 0 and 256.");
        Require(o.Negatives is >= 0 and <= 1024, "negatives", "must be between 0 and 1024.");
        Require(double.IsFinite(o.Temperature) && o.Temperature > 0, "temperature", "must be a positive number.");
        Require(o.ConsolidateEvery >= 0, "consolidate_every", "must be 0 (only when asked) or more.");
        Require(double.IsFinite(o.AbFraction) && o.AbFraction is >= 0 and <= 1, "ab_fraction", "must be between 0 and 1.");
    }

    /// <summary>Writes the file when anything changed since the last write (never for a collection without a folder).</summary>
    public void Save(bool force = false)
    {
        if (_path is null)
        {
            return;
        }

        lock (_saveGate)
        {
            if (!force && !_optionsDirty && !_adapters.Values.Any(a => a.Dirty))
            {
                return;
            }

            using var buffer = new MemoryStream();
            using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                WriteOptions(w, _options);
                var adapters = _adapters.Values.OrderBy(a => a.Using, StringComparer.Ordinal).ThenBy(a => a.Tenant, StringComparer.Ordinal).ToList();
                w.Write(adapters.Count);
                foreach (var adapter in adapters)
                {
                    lock (adapter.Gate)
                    {
                        adapter.WriteTo(w);
                        adapter.Dirty = false;
                    }
                }
            }

            var crc = Crc32C.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            buffer.Write(BitConverter.GetBytes(crc));
            DurableFile.WriteAllBytesAtomic(_path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            _optionsDirty = false;
        }
    }

    private void Read(byte[] bytes)
    {
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not an adapters file.");
        }

        var body = bytes.AsSpan(0, bytes.Length - 4);
        if (Crc32C.Compute(body) != BitConverter.ToUInt32(bytes, bytes.Length - 4))
        {
            throw new InvalidDataException("checksum mismatch.");
        }

        using var r = new BinaryReader(new MemoryStream(bytes, 4, bytes.Length - 8), Encoding.UTF8);
        if (r.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("unknown adapters file version.");
        }

        _options = ReadOptions(r);
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var adapter = QueryAdapter.ReadFrom(r, i + 1);
            _adapters[(adapter.Using, adapter.Tenant)] = adapter;
        }
    }

    private static void WriteOptions(BinaryWriter w, AdapterOptions o)
    {
        w.Write(o.Enabled);
        w.Write(o.Rank);
        w.Write(o.Alpha);
        w.Write(o.LearningRate);
        w.Write(o.EwcLambda);
        w.Write(o.ReplayCapacity);
        w.Write(o.ReplayBatch);
        w.Write(o.Negatives);
        w.Write(o.Temperature);
        w.Write(o.ConsolidateEvery);
        w.Write(o.AbFraction);
    }

    private static AdapterOptions ReadOptions(BinaryReader r)
    {
        var o = new AdapterOptions
        {
            Enabled = r.ReadBoolean(),
            Rank = r.ReadInt32(),
            Alpha = r.ReadDouble(),
            LearningRate = r.ReadDouble(),
            EwcLambda = r.ReadDouble(),
            ReplayCapacity = r.ReadInt32(),
            ReplayBatch = r.ReadInt32(),
            Negatives = r.ReadInt32(),
            Temperature = r.ReadDouble(),
            ConsolidateEvery = r.ReadInt32(),
            AbFraction = r.ReadDouble(),
        };
        try
        {
            Check(o);
        }
        catch (ValidationException e)
        {
            throw new InvalidDataException($"stored settings are out of range: {e.Message}");
        }

        return o;
    }

    /// <summary>A stable seed per adapter (string hashes are randomised per process), so runs repeat.</summary>
    private static int SeedOf(string vectorName, string tenant)
    {
        var hash = 2166136261u;
        foreach (var c in vectorName + "\0" + tenant)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }
}
