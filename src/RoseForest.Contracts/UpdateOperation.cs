using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts;

/// <summary>
/// One write of a batch update (Qdrant's <c>/points/batch</c> operations), as asked: points are
/// selected by id or filter. <see cref="ApplyAsync"/> performs it on a collection.
/// </summary>
public abstract record UpdateOperation
{
    /// <summary>Performs this write on <paramref name="target"/>.</summary>
    public abstract Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default);
}

/// <summary>Insert or replace points.</summary>
/// <param name="Points">The points.</param>
/// <param name="Options">update_mode and update_filter, or null for a plain upsert.</param>
public sealed record UpsertOperation(IReadOnlyList<PointStruct> Points, UpsertOptions? Options = null) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.UpsertAsync(Points, Options, cancellationToken);
}

/// <summary>Delete the selected points.</summary>
/// <param name="Selector">Which points.</param>
public sealed record DeletePointsOperation(PointSelector Selector) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeleteAsync(Selector, cancellationToken);
}

/// <summary>Merge payload keys into the selected points (at <paramref name="Key"/> when given).</summary>
/// <param name="Selector">Which points.</param>
/// <param name="Payload">The keys to set.</param>
/// <param name="Key">A payload path to merge at, or null.</param>
public sealed record SetPayloadOperation(PointSelector Selector, JsonElement Payload, string? Key = null) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.SetPayloadAsync(Selector, Payload, Key, cancellationToken);
}

/// <summary>Replace the whole payload of the selected points.</summary>
/// <param name="Selector">Which points.</param>
/// <param name="Payload">The new payload.</param>
public sealed record OverwritePayloadOperation(PointSelector Selector, JsonElement Payload) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.OverwritePayloadAsync(Selector, Payload, cancellationToken);
}

/// <summary>Remove payload paths from the selected points.</summary>
/// <param name="Selector">Which points.</param>
/// <param name="Keys">The paths.</param>
public sealed record DeletePayloadOperation(PointSelector Selector, IReadOnlyList<string> Keys) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeletePayloadKeysAsync(Selector, Keys, cancellationToken);
}

/// <summary>Remove the whole payload of the selected points.</summary>
/// <param name="Selector">Which points.</param>
public sealed record ClearPayloadOperation(PointSelector Selector) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.ClearPayloadAsync(Selector, cancellationToken);
}

/// <summary>Set some vectors of existing points.</summary>
/// <param name="Points">Each point's id and the vectors to set.</param>
/// <param name="UpdateFilter">Only points matching it are changed, or null.</param>
public sealed record UpdateVectorsOperation(IReadOnlyList<PointStruct> Points, Filter? UpdateFilter = null) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.UpdateVectorsAsync(Points, UpdateFilter, cancellationToken);
}

/// <summary>Remove named vectors from the selected points.</summary>
/// <param name="Selector">Which points.</param>
/// <param name="VectorNames">The vectors to remove.</param>
public sealed record DeleteVectorsOperation(PointSelector Selector, IReadOnlyList<string> VectorNames) : UpdateOperation
{
    /// <inheritdoc />
    public override Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken = default) =>
        target.DeleteVectorsAsync(Selector, VectorNames, cancellationToken);
}
