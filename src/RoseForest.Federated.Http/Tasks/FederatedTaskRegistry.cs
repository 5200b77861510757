using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// The coordinator's tasks. With a data folder, every complete task folder found at start-up is
/// reopened and resumed; a task whose files cannot be read is reported (503) and left on disk
/// untouched, and the other tasks serve.
/// </summary>
internal sealed partial class FederatedTaskRegistry : IDisposable
{
    private readonly FederatedHttpOptions _options;
    private readonly ConcurrentDictionary<string, FederatedTaskHost> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _faulted = new(StringComparer.Ordinal);
    private readonly Lock _createGate = new();

    public FederatedTaskRegistry(FederatedHttpOptions options, ILogger<FederatedTaskRegistry> logger)
    {
        _options = options;
        if (options.DataPath is not { } root)
        {
            return;
        }

        Directory.CreateDirectory(root);
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(dir);
            if (id.StartsWith('.') || !File.Exists(Path.Combine(dir, FederatedTaskHost.SpecFile)))
            {
                continue;
            }

            try
            {
                _tasks[id] = FederatedTaskHost.Load(root, id, options.TimeProvider);
            }
#pragma warning disable CA1031 // one unreadable task must not stop the others
            catch (Exception e)
#pragma warning restore CA1031
            {
                _faulted[id] = e.Message;
                LogFaulted(logger, id, e);
            }
        }
    }

    public IReadOnlyList<FederatedTaskHost> All => [.. _tasks.Values.OrderBy(t => t.Spec.Id, StringComparer.Ordinal)];

    public FederatedTaskHost Get(string id)
    {
        if (_tasks.TryGetValue(id, out var host))
        {
            return host;
        }

        throw _faulted.TryGetValue(id, out var reason)
            ? new FederatedHttpException(503, "task_faulted", $"Task '{id}' could not be reopened: {reason}")
            : FederatedHttpException.NotFound(id);
    }

    public FederatedTaskHost Create(TaskSpec spec, ModelParameters model)
    {
        lock (_createGate)
        {
            if (_tasks.ContainsKey(spec.Id) || _faulted.ContainsKey(spec.Id))
            {
                throw FederatedHttpException.Conflict("task_exists", $"A task '{spec.Id}' already exists.");
            }

            if (_tasks.Count >= _options.MaxTasks)
            {
                throw FederatedHttpException.Conflict("too_many_tasks", $"The coordinator holds its maximum of {_options.MaxTasks} tasks.");
            }

            var host = FederatedTaskHost.Create(spec, model, _options.DataPath, _options.TimeProvider);
            _tasks[spec.Id] = host;
            return host;
        }
    }

    public void Dispose()
    {
        foreach (var task in _tasks.Values)
        {
            task.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Federated task {TaskId} could not be reopened; it is left on disk and reported as faulted")]
    private static partial void LogFaulted(ILogger logger, string taskId, Exception error);
}
