using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Internal;

/// <summary>What a queued write asks for before the writer turns it into a <see cref="WriteOp"/>.</summary>
internal enum RequestKind
{
    Upsert,
    Delete,
    SetPayload,
    OverwritePayload,
    DeletePayloadKeys,
    ClearPayload,
    UpdateVectors,
    ConditionalUpsert,
    DeleteVectors,
    Checkpoint,
    CreateIndex,
    DeleteIndex,
    Reconfigure,

    /// <summary>A repair of the graph run on the writer between groups (issue 19); never logged.</summary>
    Maintenance,
}

/// <summary>
/// A write waiting for the collection's writer loop. Cancellation is honoured only until the
/// writer picks the request up; after that the write runs to completion, so a caller that sees
/// <see cref="OperationCanceledException"/> knows nothing was written.
/// </summary>
internal sealed class WriteRequest
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<UpdateResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;
    private CancellationTokenRegistration _registration;

    public WriteRequest(RequestKind kind) => Kind = kind;

    public RequestKind Kind { get; }

    /// <summary>The operation, set at once for upserts and id deletes, or by the writer when it resolves a selector.</summary>
    public WriteOp? Op { get; set; }

    public PointSelector? Selector { get; init; }

    public JsonElement? Payload { get; init; }

    public PayloadPath? Key { get; init; }

    public PayloadPath[]? Keys { get; init; }

    /// <summary>For update_vectors: each point's id and the vectors it changes.</summary>
    public List<(PointId Id, PreparedVectors Vectors)>? VectorUpdates { get; init; }

    /// <summary>For delete_vectors: the vector names to remove.</summary>
    public string[]? VectorNames { get; init; }

    /// <summary>For payload index requests: the field, and (create) its schema.</summary>
    public (PayloadPath Key, PayloadIndexParams? Schema)? Index { get; init; }

    /// <summary>A conditional upsert's points, before the mode and filter pick which of them are written.</summary>
    public UpsertOp? Candidates { get; init; }

    /// <summary>For <see cref="RequestKind.Reconfigure"/>: the change, staged by the writer.</summary>
    public ConfigOp? Config { get; init; }

    public RoseForest.Core.Filters.Filter? UpdateFilter { get; init; }

    public UpdateMode Mode { get; init; }

    /// <summary>For maintenance requests: the work to run on the writer.</summary>
    public Action? Maintenance { get; init; }

    /// <summary>Set by the writer: the LSN and, for upserts, the prepared slots.</summary>
    public long Lsn { get; set; }

    public int[]? Slots { get; set; }

    /// <summary>For checkpoint requests: the snapshot taken.</summary>
    public CheckpointInfo? Snapshot { get; set; }

    /// <summary>True when the writer must look at the current state to build the operation.</summary>
    public bool NeedsState => Op is null;

    public Task<UpdateResult> Task => _completion.Task;

    public void RegisterCancellation(CancellationToken token)
    {
        if (token.CanBeCanceled)
        {
            _registration = token.Register(static (state, ct) =>
            {
                var request = (WriteRequest)state!;
                if (Interlocked.CompareExchange(ref request._state, Cancelled, Queued) == Queued)
                {
                    request._completion.TrySetCanceled(ct);
                }
            }, this);
        }
    }

    /// <summary>Claims the request for execution; false when it was cancelled first.</summary>
    public bool TryStart()
    {
        var started = Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
        _registration.Dispose();
        return started;
    }

    public void Complete(UpdateResult result) => _completion.TrySetResult(result);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
