using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RoseForest.Storage.IO;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>
/// The node's sync jobs. Continuous jobs are saved in <c>&lt;data&gt;/sync/jobs.json</c> (API keys
/// included: the data folder is the operator's) and started again when the server starts; a
/// one-shot job lives until it has run and been read.
/// </summary>
internal sealed class SyncJobManager(SyncHub hub, string? dataPath, TimeProvider time) : IAsyncDisposable
{
    private readonly object _gate = new();
    private const int MaxFinishedJobs = 100;
    private readonly Dictionary<string, SyncJob> _jobs = new(StringComparer.Ordinal);
    private long _next;

    /// <summary>Starts the jobs an earlier run saved.</summary>
    public void Resume()
    {
        if (JobsFile is not { } file || !File.Exists(file))
        {
            return;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        foreach (var saved in doc.RootElement.GetProperty("jobs").EnumerateArray())
        {
            var spec = SyncJobSpec.Read(saved.GetProperty("spec"));
            Start(saved.GetProperty("id").GetString()!, spec, save: false);
        }
    }

    /// <summary>Creates and starts a job.</summary>
    public SyncJob Create(SyncJobSpec spec)
    {
        string id;
        lock (_gate)
        {
            do
            {
                id = "job-" + (++_next).ToString(CultureInfo.InvariantCulture);
            }
            while (_jobs.ContainsKey(id));
        }

        return Start(id, spec, save: spec.Continuous);
    }

    public SyncJob? Get(string id)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<SyncJob> List()
    {
        lock (_gate)
        {
            return [.. _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>Stops and forgets a job; false when there is none.</summary>
    public async Task<bool> RemoveAsync(string id)
    {
        SyncJob? job;
        lock (_gate)
        {
            if (_jobs.Remove(id, out job))
            {
                Save();
            }
        }

        if (job is null)
        {
            return false;
        }

        await job.StopAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        List<SyncJob> jobs;
        lock (_gate)
        {
            jobs = [.. _jobs.Values];
            _jobs.Clear();
        }

        await Task.WhenAll(jobs.Select(j => j.StopAsync())).ConfigureAwait(false);
    }

    private string? JobsFile => dataPath is null ? null : Path.Combine(dataPath, "sync", "jobs.json");

    private SyncJob Start(string id, SyncJobSpec spec, bool save)
    {
        var job = new SyncJob(id, spec, hub, new HttpPeer(spec.Remote, spec.ApiKey, TimeSpan.FromSeconds(100)), time);
        lock (_gate)
        {
            // Keep the last finished one-shot jobs readable, not every one ever run.
            foreach (var old in _jobs.Values.Where(j => !j.Spec.Continuous && j.IsFinished).OrderBy(j => j.Id.Length).ThenBy(j => j.Id, StringComparer.Ordinal).SkipLast(MaxFinishedJobs - 1).ToList())
            {
                _jobs.Remove(old.Id);
            }

            _jobs[id] = job;
            if (id.StartsWith("job-", StringComparison.Ordinal) && long.TryParse(id.AsSpan(4), CultureInfo.InvariantCulture, out var n))
            {
                _next = Math.Max(_next, n);
            }

            if (save)
            {
                Save();
            }
        }

        job.Start();
        return job;
    }

    /// <summary>Writes the continuous jobs (call under the lock).</summary>
    private void Save()
    {
        if (JobsFile is not { } file)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("jobs");
            foreach (var job in _jobs.Values.Where(j => j.Spec.Continuous).OrderBy(j => j.Id, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", job.Id);
                w.WriteStartObject("spec");
                job.Spec.Write(w, includeApiKey: true);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        DurableFile.WriteAllBytesAtomic(file, buffer.WrittenSpan);
    }
}
