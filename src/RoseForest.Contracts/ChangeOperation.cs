using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>
/// A committed write as the change feed reports it: always by point id (a filter was resolved
/// before the write was logged), with vectors as stored (cosine vectors unit length).
/// <see cref="ApplyAsync"/> replays it on another collection.
/// </summary>
public abstract record ChangeOperation
{
    /// <summary>Replays the write on <paramref name="target"/>.</summary>
    public abstract Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default);
}

/// <summary>Points inserted or replaced.</summary>
/// <param name="Points">The points.</param>
public sealed record UpsertChange(IReadOnlyList<PointStruct> Points) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.UpsertAsync(Points, null, cancellationToken);
}

/// <summary>Points deleted.</summary>
/// <param name="Ids">The ids.</param>
public sealed record DeleteChange(IReadOnlyList<PointId> Ids) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeleteAsync(PointSelector.ById(Ids), cancellationToken);
}

/// <summary>Payload keys merged (set_payload).</summary>
/// <param name="Ids">The points.</param>
/// <param name="Payload">The patch.</param>
/// <param name="Key">The payload path it was merged at, or null.</param>
public sealed record SetPayloadChange(IReadOnlyList<PointId> Ids, JsonElement Payload, string? Key) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.SetPayloadAsync(PointSelector.ById(Ids), Payload, Key, cancellationToken);
}

/// <summary>Payloads replaced (overwrite_payload).</summary>
/// <param name="Ids">The points.</param>
/// <param name="Payload">The new payload.</param>
public sealed record OverwritePayloadChange(IReadOnlyList<PointId> Ids, JsonElement Payload) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.OverwritePayloadAsync(PointSelector.ById(Ids), Payload, cancellationToken);
}

/// <summary>Payload paths removed (delete_payload).</summary>
/// <param name="Ids">The points.</param>
/// <param name="Keys">The paths.</param>
public sealed record DeletePayloadKeysChange(IReadOnlyList<PointId> Ids, IReadOnlyList<string> Keys) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeletePayloadKeysAsync(PointSelector.ById(Ids), Keys, cancellationToken);
}

/// <summary>Payloads removed (clear_payload).</summary>
/// <param name="Ids">The points.</param>
public sealed record ClearPayloadChange(IReadOnlyList<PointId> Ids) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.ClearPayloadAsync(PointSelector.ById(Ids), cancellationToken);
}

/// <summary>A payload index created (or replaced).</summary>
/// <param name="FieldName">The indexed payload path.</param>
/// <param name="Schema">The index's type and options.</param>
public sealed record CreatePayloadIndexChange(string FieldName, PayloadIndexParams Schema) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.CreatePayloadIndexAsync(FieldName, Schema, cancellationToken);
}

/// <summary>A payload index dropped.</summary>
/// <param name="FieldName">The payload path whose index was dropped.</param>
public sealed record DeletePayloadIndexChange(string FieldName) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeletePayloadIndexAsync(FieldName, cancellationToken);
}

/// <summary>A named vector added to the collection.</summary>
/// <param name="VectorName">The new vector's name.</param>
/// <param name="Config">Its size and distance, or its sparse modifier.</param>
public sealed record CreateVectorChange(string VectorName, VectorNameConfig Config) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.CreateVectorAsync(VectorName, Config, cancellationToken);
}

/// <summary>A named vector removed from the collection.</summary>
/// <param name="VectorName">The removed vector's name.</param>
public sealed record DeleteVectorChange(string VectorName) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeleteVectorAsync(VectorName, cancellationToken);
}

/// <summary>The collection's settings changed (<c>PATCH /collections/{name}</c>).</summary>
/// <param name="Update">What changed.</param>
public sealed record UpdateCollectionChange(CollectionUpdate Update) : ChangeOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.UpdateCollectionAsync(Update, cancellationToken);
}
