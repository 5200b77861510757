using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Core.Filters;
using RoseForest.Embeddings;

namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryEvent>> AddAsync(AddMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Infer)
        {
            return await InferAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await AddManyAsync([request], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds several memories with one embedding call and one write (for imports and benchmarks);
    /// each is handled as <see cref="AddAsync"/> would (infer is not allowed here), and
    /// near-duplicates merge within the batch too. Returns the events of all of them in order.
    /// </summary>
    public async Task<IReadOnlyList<MemoryEvent>> AddManyAsync(IReadOnlyList<AddMemoryRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            Validate(requests[i], requests.Count == 1 ? string.Empty : $"memories[{i}].");
        }

        if (requests.Count == 0)
        {
            return [];
        }

        var collection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var vectors = await EmbedAsync([.. requests.Select(r => r.Text)], cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new Dictionary<Guid, (StoredMemory Memory, float[] Vector)>();
            var events = new List<MemoryEvent>();
            for (var i = 0; i < requests.Count; i++)
            {
                await AddOneAsync(collection, requests[i], vectors[i], pending, events, cancellationToken).ConfigureAwait(false);
            }

            await SaveAsync(collection, [.. pending.Values], cancellationToken).ConfigureAwait(false);
            return events;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Validate(AddMemoryRequest request, string prefix)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckText(request.Text, prefix + "text");
        ArgumentNullException.ThrowIfNull(request.Scope);
        request.Scope.Validate();
        CheckMetadata(request.Metadata);
        if (!Enum.IsDefined(request.Kind))
        {
            throw new ValidationException(prefix + "kind", "unknown kind.");
        }

        if (request.Infer && prefix.Length > 0)
        {
            throw new ValidationException(prefix + "infer", "is only allowed when adding one memory.");
        }

        if (request.ValidFrom is { } from && request.ValidTo is { } to && to <= from)
        {
            throw new ValidationException(prefix + "valid_to", "must be after valid_from.");
        }

        if (request.Ttl is { } ttl && (ttl <= TimeSpan.Zero || request.ExpiresAt is not null))
        {
            throw new ValidationException(prefix + "ttl", request.ExpiresAt is null ? "must be positive." : "give ttl or expires_at, not both.");
        }

        if (request.Kind == MemoryKind.Episodic && request.Supersedes is { Count: > 0 })
        {
            throw new ValidationException(prefix + "supersedes", "episodic memories are append-only events; only semantic and procedural memories supersede others.");
        }
    }

    private async Task AddOneAsync(IVectorCollection collection, AddMemoryRequest request, float[] vector, Dictionary<Guid, (StoredMemory Memory, float[] Vector)> pending, List<MemoryEvent> events, CancellationToken ct)
    {
        var now = Now;
        var actor = Actor(request.Actor);
        var metadata = CheckMetadata(request.Metadata);
        var supersedes = request.Supersedes ?? [];
        if (request.Kind != MemoryKind.Episodic && supersedes.Count == 0)
        {
            var duplicate = await FindDuplicateAsync(collection, request.Scope, request.Kind, vector, now, pending, ct).ConfigureAwait(false);
            if (duplicate is { } dup)
            {
                var (existing, existingVector) = pending.TryGetValue(dup, out var p) ? p : (await LoadAsync(collection, dup, withVector: true, ct).ConfigureAwait(false))!.Value;
                existing.Mentions++;
                existing.UpdatedAt = now;
                existing.Metadata = MergeMetadata(existing.Metadata, metadata);
                existing.History.Add(new MemoryVersion(existing.Version, "merge", request.Text, metadata, StoredMemory.Time(now), actor));
                pending[existing.Id] = (existing, existingVector!);
                events.Add(new MemoryEvent(existing.Id, "merge", existing.Text));
                return;
            }
        }

        var validFrom = request.ValidFrom?.ToUnixTimeMilliseconds() ?? now;
        var memory = new StoredMemory
        {
            Id = Guid.CreateVersion7(_time.GetUtcNow()),
            Text = request.Text,
            Kind = request.Kind,
            Scope = request.Scope,
            Metadata = metadata,
            CreatedAt = now,
            UpdatedAt = now,
            ValidFrom = validFrom,
            ValidTo = request.ValidTo?.ToUnixTimeMilliseconds(),
            ExpiresAt = request.ExpiresAt?.ToUnixTimeMilliseconds() ?? (request.Ttl is { } ttl ? now + (long)ttl.TotalMilliseconds : null),
            Embedder = EmbedderId,
        };
        memory.History.Add(new MemoryVersion(1, "add", memory.Text, metadata, StoredMemory.Time(now), actor));
        events.Add(new MemoryEvent(memory.Id, "add", memory.Text));
        foreach (var oldId in supersedes.Distinct())
        {
            var (old, oldVector) = pending.TryGetValue(oldId, out var p) ? p : await LoadVisibleAsync(collection, oldId, request.Scope, withVector: true, ct).ConfigureAwait(false);
            Supersede(old, memory, now, actor);
            pending[old.Id] = (old, oldVector!);
            events.Add(new MemoryEvent(old.Id, "superseded", old.Text));
        }

        pending[memory.Id] = (memory, vector);
    }

    /// <summary>Marks <paramref name="old"/> as replaced by <paramref name="replacement"/>: valid until the new fact's valid_from, no longer believed from now.</summary>
    private static void Supersede(StoredMemory old, StoredMemory replacement, long now, string actor)
    {
        if (old.SupersededBy is { } by)
        {
            throw new ValidationException("supersedes", $"memory {old.Id} is already superseded by {by}.");
        }

        if (old.Kind == MemoryKind.Episodic)
        {
            throw new ValidationException("supersedes", $"memory {old.Id} is episodic: events are append-only and are not superseded.");
        }

        old.ExpiredAt = now;
        old.ValidTo = Math.Min(old.ValidTo ?? long.MaxValue, Math.Max(replacement.ValidFrom, old.ValidFrom));
        old.SupersededBy = replacement.Id;
        old.UpdatedAt = now;
        old.Version++;
        old.History.Add(new MemoryVersion(old.Version, "superseded", old.Text, old.Metadata, StoredMemory.Time(now), actor) { Related = replacement.Id });
        replacement.Supersedes.Add(old.Id);
    }

    private async Task<Guid?> FindDuplicateAsync(IVectorCollection collection, MemoryScope scope, MemoryKind kind, float[] vector, long now, Dictionary<Guid, (StoredMemory Memory, float[] Vector)> pending, CancellationToken ct)
    {
        Guid? best = null;
        var bestScore = _options.DuplicateThreshold;
        foreach (var (memory, other) in pending.Values)
        {
            if (memory.Kind == kind && memory.Scope == scope && memory.SupersededBy is null)
            {
                var cosine = EmbeddingMath.Cosine(vector, other);
                if (cosine >= bestScore)
                {
                    (best, bestScore) = (memory.Id, cosine);
                }
            }
        }

        var filter = VisibleFilter(MemoryScope.Of(null, null, null, null), now, null, kind, new Filter(must: [.. scope.ExactConditions()]), includeExpired: false);
        var hits = await collection.SearchAsync(new SearchRequest { Vector = vector, Limit = 1, Filter = filter }, ct).ConfigureAwait(false);
        if (hits.Count > 0 && hits[0].Score >= bestScore && !pending.ContainsKey(hits[0].Id.Uuid))
        {
            best = hits[0].Id.Uuid;
        }

        return best;
    }

    /// <summary>The old metadata with the new keys set (a null value removes a key).</summary>
    private static JsonElement? MergeMetadata(JsonElement? current, JsonElement? patch)
    {
        if (patch is not { } p)
        {
            return current;
        }

        var merged = current is { } c ? JsonNode.Parse(c.GetRawText())!.AsObject() : [];
        foreach (var property in p.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(property.Name);
            }
            else
            {
                merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return merged.Count == 0 ? null : JsonSerializer.SerializeToElement(merged);
    }
}
