namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <inheritdoc />
    public async Task<MemoryRecord> GetAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default)
    {
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var (memory, _) = await LoadVisibleAsync(collection, id, within, withVector: false, cancellationToken).ConfigureAwait(false);
        var now = Now;
        memory.AccessCount += PendingAccess(id) + 1;
        memory.LastAccessedAt = now;
        RecordAccess([id], now);
        return memory.ToRecord();
    }

    /// <inheritdoc />
    public async Task<MemoryPage> ListAsync(ListMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Scope);
        request.Scope.Validate();
        if (request.Limit is < 1 or > MaxLimit)
        {
            throw new ValidationException("limit", $"must be between 1 and {MaxLimit}.");
        }

        PointId? offset = null;
        if (request.Cursor is { Length: > 0 } cursor)
        {
            offset = Guid.TryParse(cursor, out var start) ? start : throw new ValidationException("cursor", "is not a cursor this API returned.");
        }

        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = VisibleFilter(request.Scope, Now, null, request.Kind, null, request.IncludeExpired);
        var page = await collection.ScrollAsync(new ScrollRequest { Limit = request.Limit, Offset = offset, Filter = filter, WithPayload = PayloadSelector.Exclude("history") }, cancellationToken).ConfigureAwait(false);
        var memories = new List<MemoryRecord>(page.Points.Count);
        foreach (var point in page.Points)
        {
            var memory = StoredMemory.Read(point.Id, point.Payload!.Value);
            memory.AccessCount += PendingAccess(memory.Id);
            memories.Add(memory.ToRecord());
        }

        return new MemoryPage(memories, page.NextOffset?.ToString());
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryVersion>> HistoryAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default)
    {
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var (memory, _) = await LoadVisibleAsync(collection, id, within, withVector: false, cancellationToken).ConfigureAwait(false);
        return memory.History;
    }
}
