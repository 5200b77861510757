using System.Text.Json;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Storage;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Wire;
using RoseForest.Storage.IO;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// One federated task behind the HTTP routes: the coordinator, the evaluation rounds and the
/// secure-aggregation session around it. Rounds open lazily: whenever a client joins or asks for
/// work and the coordinator is idle, the next round (or a due evaluation) opens. Lock order: this
/// host's lock, then the coordinator's (the coordinator's own deadline timer takes only its own).
/// </summary>
internal sealed partial class FederatedTaskHost : IDisposable
{
    public const string SpecFile = "task.json";
    public const string ModelFile = "initial.rft";
    public const string HostFile = "host.json";

    private readonly Lock _gate = new();
    private readonly string? _dir;
    private readonly TimeProvider _time;
    private HostState _state = new();
    private ITimer? _evaluationTimer;

    private FederatedTaskHost(TaskSpec spec, ModelParameters initial, string? root, TimeProvider time)
    {
        Spec = spec;
        _time = time;
        _dir = root is null ? null : Path.Combine(root, spec.Id);
        var strategy = spec.Strategy.Create();
        if (spec.Privacy is { } privacy)
        {
            strategy = privacy.Wrap(strategy, spec.Seed is { } s ? new SeededRandomSource(s + 1) : SecureRandomSource.Instance);
        }

        IFederatedStateStore store = root is null ? new InMemoryFederatedStateStore() : new FileFederatedStateStore(root);
        Coordinator = new FederatedCoordinator(spec.Id, initial, strategy, spec.ToOptions(), time, store, spec.Seed is { } sel ? new SeededRandomSource(sel + 2) : SecureRandomSource.Instance);
    }

    public TaskSpec Spec { get; }

    public FederatedCoordinator Coordinator { get; }

    /// <summary>
    /// Creates a task; with a folder, its definition and initial model are written into a
    /// temporary sub-folder that is renamed into place, so a task folder is complete or absent.
    /// </summary>
    public static FederatedTaskHost Create(TaskSpec spec, ModelParameters model, string? root, TimeProvider time)
    {
        FederatedTaskHost host;
        try
        {
            host = new FederatedTaskHost(spec, model, root, time);
        }
        catch (ArgumentException e)
        {
            throw new WireFormatException("privacy", e.Message);
        }

        if (root is not null)
        {
            var target = Path.Combine(root, spec.Id);
            if (Directory.Exists(target))
            {
                throw FederatedHttpException.Conflict("task_exists", $"A task '{spec.Id}' already exists.");
            }

            var tmp = Path.Combine(root, $".{spec.Id}.creating");
            if (Directory.Exists(tmp))
            {
                Directory.Delete(tmp, recursive: true);
            }

            Directory.CreateDirectory(tmp);
            DurableFile.WriteAllBytesAtomic(Path.Combine(tmp, ModelFile), TensorWire.EncodeFrame(_ => { }, model));
            using var json = new MemoryStream();
            using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
            {
                spec.Write(w);
            }

            DurableFile.WriteAllBytesAtomic(Path.Combine(tmp, SpecFile), json.ToArray());
            Directory.Move(tmp, target);
            DurableFile.SyncDirectory(root);
        }

        return host;
    }

    /// <summary>Reopens a task from its folder and resumes it where its last snapshot left it.</summary>
    public static FederatedTaskHost Load(string root, string taskId, TimeProvider time)
    {
        var dir = Path.Combine(root, taskId);
        var spec = TaskSpec.Read(WireJson.Parse(File.ReadAllBytes(Path.Combine(dir, SpecFile))), null);
        var (header, payload) = TensorWire.DecodeFrame(File.ReadAllBytes(Path.Combine(dir, ModelFile)));
        var model = TensorWire.ReadTensors(WireJson.Required(header, "tensors", string.Empty), "tensors", payload);
        var host = new FederatedTaskHost(spec, model, root, time);
        host.Coordinator.TryRestore();
        var hostFile = Path.Combine(dir, HostFile);
        if (File.Exists(hostFile))
        {
            host._state = HostState.FromJson(File.ReadAllBytes(hostFile));
            if (host._state.Pending is { } pending)
            {
                host.ArmEvaluationTimer(pending.Deadline);
            }
        }

        return host;
    }

    /// <summary>Where the task stands, as the API reports it.</summary>
    public string Status
    {
        get
        {
            lock (_gate)
            {
                return StatusLocked();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _evaluationTimer?.Dispose();
            _secure?.Dispose();
        }

        Coordinator.Dispose();
    }

    private string StatusLocked() => Coordinator.Status switch
    {
        _ when _state.Pending is not null => "evaluating",
        FederatedTaskStatus.RoundOpen => "round_open",
        FederatedTaskStatus.Failed => "failed",
        FederatedTaskStatus.Completed when Spec.Evaluation is not null && _state.EvaluatedThrough < Spec.Rounds => "evaluating",
        FederatedTaskStatus.Completed => "completed",
        _ => "waiting_for_clients",
    };

    /// <summary>Opens what is due: an evaluation after a closed round, else the next fit round; keeps the SecAgg session on the open round.</summary>
    private void Sync()
    {
        if (Spec.Evaluation is { } evaluation && _state.Pending is null && Coordinator.Status != FederatedTaskStatus.RoundOpen)
        {
            var history = Coordinator.History;
            if (history.Count > 0 && history[^1].Round > _state.EvaluatedThrough)
            {
                var round = history[^1].Round;
                if (evaluation.IsDue(round, Spec.Rounds))
                {
                    OpenEvaluation(round, evaluation);
                }
                else
                {
                    _state.EvaluatedThrough = round;
                    SaveState();
                }
            }
        }

        if (_state.Pending is null && Coordinator.Status == FederatedTaskStatus.Idle)
        {
            Coordinator.StartRound();
        }

        if (Spec.SecureAggregation is not null)
        {
            SyncSecure();
        }
    }

    private void SaveState()
    {
        if (_dir is not null)
        {
            DurableFile.WriteAllBytesAtomic(Path.Combine(_dir, HostFile), _state.ToJson());
        }
    }
}
