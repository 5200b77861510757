using System.Text.Json;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;

namespace RoseForest.Cluster.Log;

/// <summary>What a log record does to its shard.</summary>
internal enum LogOpKind : short
{
    Upsert = 1,
    Delete = 2,
    SetPayload = 3,
    OverwritePayload = 4,
    DeletePayload = 5,
    ClearPayload = 6,
    UpdateVectors = 7,
    DeleteVectors = 8,
    CreateIndex = 9,
    DeleteIndex = 10,
}

/// <summary>
/// One shard's part of a write, as logged: the request in Qdrant's JSON body form (a selector may
/// be a filter: every replica resolves it against the same state at the same sequence, so the
/// result is the same everywhere). <see cref="ApplyAsync"/> is the one place a record meets a
/// replica's engine.
/// </summary>
internal sealed record LogOperation(LogOpKind Kind, byte[] Body)
{
    /// <summary>Decoding limits for logged bodies: the router already bounded the request; a record is never refused for its size on replay.</summary>
    private static readonly QdrantJson.Limits ReplayLimits = new() { MaxBatchPoints = int.MaxValue, MaxLimit = int.MaxValue };

    /// <summary>
    /// An upsert as Qdrant's body (points with all their vectors, update_mode, update_filter) plus
    /// the manifold projection flag. update_mode and update_filter are resolved by each replica
    /// against the same state at the same sequence, so they select the same points everywhere.
    /// </summary>
    public static LogOperation Upsert(IReadOnlyList<PointStruct> points, UpsertOptions? options) =>
        new(LogOpKind.Upsert, QdrantJson.ToUtf8(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("project", options?.ProjectOntoManifold ?? false);
            w.WritePropertyName("request");
            QdrantJson.WriteUpsert(w, [.. points.Select(WithVectorStruct)], options);
            w.WriteEndObject();
        }));

    /// <summary>Qdrant's update_vectors body (with its update_filter).</summary>
    public static LogOperation UpdateVectors(IReadOnlyList<PointStruct> points, Filter? updateFilter) =>
        new(LogOpKind.UpdateVectors, QdrantJson.ToUtf8(w => QdrantJson.WriteUpdateVectors(w, [.. points.Select(WithVectorStruct)], updateFilter)));

    /// <summary>Qdrant's delete_vectors body.</summary>
    public static LogOperation DeleteVectors(PointSelector selector, IReadOnlyList<string> names) =>
        new(LogOpKind.DeleteVectors, QdrantJson.ToUtf8(w => QdrantJson.WriteDeleteVectors(w, selector, names)));

    /// <summary>A point with no vector at all is written as <c>"vector": {}</c> (Qdrant's form of "no named vectors"), so it reads back the same.</summary>
    private static PointStruct WithVectorStruct(PointStruct p) =>
        p.Vector is null && p.Vectors is null ? p with { Vectors = new Dictionary<string, VectorData>() } : p;

    public static LogOperation Delete(PointSelector selector) => new(LogOpKind.Delete, QdrantJson.ToUtf8(w => QdrantJson.WriteSelectorBody(w, selector)));

    public static LogOperation SetPayload(PointSelector selector, JsonElement payload, string? key) =>
        new(LogOpKind.SetPayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSetPayload(w, selector, payload, key)));

    public static LogOperation OverwritePayload(PointSelector selector, JsonElement payload) =>
        new(LogOpKind.OverwritePayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSetPayload(w, selector, payload, null)));

    public static LogOperation DeletePayload(PointSelector selector, IReadOnlyList<string> keys) =>
        new(LogOpKind.DeletePayload, QdrantJson.ToUtf8(w => QdrantJson.WriteDeletePayload(w, selector, keys)));

    public static LogOperation ClearPayload(PointSelector selector) => new(LogOpKind.ClearPayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSelectorBody(w, selector)));

    /// <summary>Qdrant's create-index body (field_name, field_schema).</summary>
    public static LogOperation CreateIndex(string fieldName, PayloadIndexParams schema) =>
        new(LogOpKind.CreateIndex, QdrantJson.ToUtf8(w => QdrantJson.WriteCreateFieldIndex(w, fieldName, schema)));

    /// <summary><c>{"field_name"}</c>: drops that payload index.</summary>
    public static LogOperation DeleteIndex(string fieldName) =>
        new(LogOpKind.DeleteIndex, QdrantJson.ToUtf8(w =>
        {
            w.WriteStartObject();
            w.WriteString("field_name", fieldName);
            w.WriteEndObject();
        }));

    /// <summary>Replays the record on a replica's collection: exactly one engine write.</summary>
    public Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken)
    {
        var body = JsonFields.ParseBody(Body);
        switch (Kind)
        {
            case LogOpKind.Upsert:
                var request = body.GetProperty("request");
                var options = QdrantJson.ReadUpsertOptions(request);
                var points = QdrantJson.ReadUpsert(request, ReplayLimits);
                var upsertOptions = new UpsertOptions { ProjectOntoManifold = body.GetProperty("project").GetBoolean(), Mode = options.Mode, UpdateFilter = options.UpdateFilter };
                return target.UpsertAsync(points, upsertOptions, cancellationToken);
            case LogOpKind.UpdateVectors:
                return target.UpdateVectorsAsync(QdrantJson.ReadUpdateVectors(body, ReplayLimits), QdrantJson.ReadUpdateFilter(body), cancellationToken);
            case LogOpKind.DeleteVectors:
                var (vectorSelector, names) = QdrantJson.ReadDeleteVectors(body);
                return target.DeleteVectorsAsync(vectorSelector, names, cancellationToken);
            case LogOpKind.Delete:
                return target.DeleteAsync(QdrantJson.ReadDelete(body), cancellationToken);
            case LogOpKind.SetPayload:
                var (selector, payload, key) = QdrantJson.ReadSetPayload(body, overwrite: false);
                return target.SetPayloadAsync(selector, payload, key, cancellationToken);
            case LogOpKind.OverwritePayload:
                var (overwriteSelector, replacement, _) = QdrantJson.ReadSetPayload(body, overwrite: true);
                return target.OverwritePayloadAsync(overwriteSelector, replacement, cancellationToken);
            case LogOpKind.DeletePayload:
                var (deleteSelector, keys) = QdrantJson.ReadDeletePayload(body);
                return target.DeletePayloadKeysAsync(deleteSelector, keys, cancellationToken);
            case LogOpKind.ClearPayload:
                return target.ClearPayloadAsync(QdrantJson.ReadClearPayload(body), cancellationToken);
            case LogOpKind.CreateIndex:
                var (field, schema) = QdrantJson.ReadCreateFieldIndex(body);
                return target.CreatePayloadIndexAsync(field, schema, cancellationToken);
            case LogOpKind.DeleteIndex:
                return target.DeletePayloadIndexAsync(body.GetProperty("field_name").GetString()!, cancellationToken);
            default:
                throw new InvalidDataException($"unknown log record kind {(short)Kind}.");
        }
    }
}
