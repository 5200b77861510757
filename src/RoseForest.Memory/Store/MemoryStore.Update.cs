namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <inheritdoc />
    public async Task<MemoryRecord> UpdateAsync(UpdateMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Text is not null)
        {
            CheckText(request.Text);
        }

        var patch = CheckMetadata(request.Metadata);
        if (request.Text is null && patch is null)
        {
            throw new ValidationException("text", "give a new text, metadata, or both.");
        }

        if (request.Supersede && request.Text is null)
        {
            throw new ValidationException("text", "superseding a memory needs the new fact's text.");
        }

        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var vector = request.Text is null ? null : (await EmbedAsync([request.Text], cancellationToken).ConfigureAwait(false))[0];
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (memory, oldVector) = await LoadVisibleAsync(collection, request.Id, request.Within, withVector: true, cancellationToken).ConfigureAwait(false);
            var now = Now;
            var actor = Actor(request.Actor);
            if (memory.SupersededBy is { } by)
            {
                throw new ValidationException("memory_id", $"memory {memory.Id} was superseded by {by}; update that one.");
            }

            if (request.Supersede)
            {
                var replacement = new StoredMemory
                {
                    Id = Guid.CreateVersion7(_time.GetUtcNow()),
                    Text = request.Text!,
                    Kind = memory.Kind,
                    Scope = memory.Scope,
                    Metadata = MergeMetadata(memory.Metadata, patch),
                    CreatedAt = now,
                    UpdatedAt = now,
                    ValidFrom = request.ValidFrom?.ToUnixTimeMilliseconds() ?? now,
                    ExpiresAt = memory.ExpiresAt,
                    Embedder = EmbedderId,
                };
                replacement.History.Add(new MemoryVersion(1, "add", replacement.Text, replacement.Metadata, StoredMemory.Time(now), actor) { Related = memory.Id });
                Supersede(memory, replacement, now, actor);
                await SaveAsync(collection, [(memory, oldVector!), (replacement, vector!)], cancellationToken).ConfigureAwait(false);
                return replacement.ToRecord();
            }

            if (memory.Kind == MemoryKind.Episodic && request.Text is not null)
            {
                throw new ValidationException("memory_id", "episodic memories are append-only: add a new event, or update with supersede on a semantic memory.");
            }

            memory.Text = request.Text ?? memory.Text;
            memory.Metadata = MergeMetadata(memory.Metadata, patch);
            memory.Version++;
            memory.UpdatedAt = now;
            memory.History.Add(new MemoryVersion(memory.Version, "update", memory.Text, memory.Metadata, StoredMemory.Time(now), actor));
            await SaveAsync(collection, [(memory, vector ?? oldVector!)], cancellationToken).ConfigureAwait(false);
            return memory.ToRecord();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default)
    {
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadVisibleAsync(collection, id, within, withVector: false, cancellationToken).ConfigureAwait(false);
            await collection.DeleteAsync(PointSelector.ById([id]), cancellationToken).ConfigureAwait(false);
            _keywords.Remove(id);
            ForgetAccess(id);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteAllAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.Validate();
        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var filter = VisibleFilter(scope, Now, null, null, null, includeExpired: true);
            var ids = _keywords.Select((id, view) => filter.Matches(id, view));
            foreach (var chunk in ids.Chunk(PageSize))
            {
                await collection.DeleteAsync(PointSelector.ById([.. chunk.Select(id => (PointId)id)]), cancellationToken).ConfigureAwait(false);
                foreach (var id in chunk)
                {
                    _keywords.Remove(id);
                    ForgetAccess(id);
                }
            }

            return ids.Count;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
