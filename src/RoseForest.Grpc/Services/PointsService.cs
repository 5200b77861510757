using RoseForest.Contracts.Qdrant;
using Grpc.Core;
using RoseForest.Grpc.Mapping;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

/// <summary>
/// <c>qdrant.Points</c> over <see cref="IVectorCollection"/>: each rpc maps its message to the
/// contract records, makes the call the matching REST route makes, and maps the answer back.
/// Writes are answered once applied and durable at the collection's level, so their status is
/// always Completed (<c>wait</c> changes nothing). Split by concern: writes here, reads in
/// <c>.Read</c>, searches and queries in <c>.Query</c>.
/// </summary>
internal sealed partial class PointsService(IVectorDatabase db, GrpcApiOptions limits) : G.Points.PointsBase
{
    public override async Task<G.PointsOperationResponse> Upsert(G.UpsertPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var points = ProtoPoints.ToPoints(request.Points, limits);
        var options = new UpsertOptions { UpdateFilter = ProtoFilters.ToFilter(request.UpdateFilter, "update_filter"), Mode = Mode(request) };
        var result = await Collection(request.CollectionName).UpsertAsync(points, options, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> Delete(G.DeletePoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var selector = ProtoPoints.ToSelector(request.Points, limits, "points");
        var result = await Collection(request.CollectionName).DeleteAsync(selector, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> UpdateVectors(G.UpdatePointVectors request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var points = ProtoPoints.ToPointVectors(request.Points, limits);
        var result = await Collection(request.CollectionName).UpdateVectorsAsync(points, ProtoFilters.ToFilter(request.UpdateFilter, "update_filter"), context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> DeleteVectors(G.DeletePointVectors request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var selector = ProtoPoints.ToSelector(request.PointsSelector, limits, "points_selector");
        var names = VectorNames(request.Vectors, "vectors");
        var result = await Collection(request.CollectionName).DeleteVectorsAsync(selector, names, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> SetPayload(G.SetPayloadPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var op = ToSetPayload(request.Payload, request.PointsSelector, request.ShardKeySelector, request.HasKey ? request.Key : null, string.Empty);
        var result = await op.ApplyAsync(Collection(request.CollectionName), context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> OverwritePayload(G.SetPayloadPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var op = ToOverwritePayload(request.Payload, request.PointsSelector, request.ShardKeySelector, request.HasKey ? request.Key : null, string.Empty);
        var result = await op.ApplyAsync(Collection(request.CollectionName), context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> DeletePayload(G.DeletePayloadPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var selector = ProtoPoints.ToSelector(request.PointsSelector, limits, "points_selector");
        var result = await Collection(request.CollectionName).DeletePayloadKeysAsync(selector, ProtoPoints.ToKeys(request.Keys, "keys"), context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> ClearPayload(G.ClearPayloadPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var selector = ProtoPoints.ToSelector(request.Points, limits, "points");
        var result = await Collection(request.CollectionName).ClearPayloadAsync(selector, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.UpdateBatchResponse> UpdateBatch(G.UpdateBatchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        if (request.Operations.Count > limits.MaxLimit)
        {
            throw new ValidationException("operations", $"at most {limits.MaxLimit} operations per batch, got {request.Operations.Count}.");
        }

        // Every operation is mapped (and so checked) before the first is applied.
        var operations = new List<UpdateOperation>(request.Operations.Count);
        for (var i = 0; i < request.Operations.Count; i++)
        {
            operations.Add(ToOperation(request.Operations[i], $"operations[{i}]"));
        }

        var results = await Collection(request.CollectionName).UpdateBatchAsync(operations, context.CancellationToken);
        var response = new G.UpdateBatchResponse();
        foreach (var r in results)
        {
            response.Result.Add(ProtoPoints.ToUpdate(r));
        }

        response.Time = t.Seconds;
        return response;
    }

    /// <summary>
    /// A payload index by field type, read through the same schema reader as REST's
    /// <c>PUT …/index</c> (the type's name as <c>field_schema</c>). Type-specific
    /// <c>field_index_params</c> (tokenizer, is_tenant, …) are not mapped yet: refused with a reason.
    /// </summary>
    public override async Task<G.PointsOperationResponse> CreateFieldIndex(G.CreateFieldIndexCollection request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        if (request.FieldIndexParams is not null)
        {
            throw new GrpcUnsupportedException("field_index_params are not mapped over gRPC yet; create the index with its field type only, or with its params through REST (PUT /collections/{name}/index).");
        }

        if (!request.HasFieldType)
        {
            throw new ValidationException("field_type", "Can't auto-detect field type: give field_type.");
        }

        var type = request.FieldType switch
        {
            G.FieldType.Keyword => "keyword",
            G.FieldType.Integer => "integer",
            G.FieldType.Float => "float",
            G.FieldType.Geo => "geo",
            G.FieldType.Text => "text",
            G.FieldType.Bool => "bool",
            G.FieldType.Datetime => "datetime",
            G.FieldType.Uuid => "uuid",
            var other => throw new ValidationException("field_type", $"unknown field type {other}."),
        };
        var schema = QdrantJson.ReadPayloadFieldSchema(System.Text.Json.JsonSerializer.SerializeToElement(type), "field_type");
        var result = await Collection(request.CollectionName).CreatePayloadIndexAsync(request.FieldName, schema, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> DeleteFieldIndex(G.DeleteFieldIndexCollection request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var result = await Collection(request.CollectionName).DeletePayloadIndexAsync(request.FieldName, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> CreateVectorName(G.CreateVectorNameRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var collection = Collection(request.CollectionName);
        var result = await collection.CreateVectorAsync(request.VectorName, ProtoCollections.ToVectorNameConfig(request), context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    public override async Task<G.PointsOperationResponse> DeleteVectorName(G.DeleteVectorNameRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var result = await Collection(request.CollectionName).DeleteVectorAsync(request.VectorName, context.CancellationToken);
        return ProtoPoints.ToResponse(result, t.Seconds);
    }

    private UpdateOperation ToOperation(G.PointsUpdateOperation op, string field)
    {
        switch (op.OperationCase)
        {
            case G.PointsUpdateOperation.OperationOneofCase.Upsert:
                ProtoQueries.RefuseShardKey(op.Upsert.ShardKeySelector, $"{field}.upsert");
                return new UpsertOperation(
                    ProtoPoints.ToPoints(op.Upsert.Points, limits, $"{field}.upsert.points"),
                    new UpsertOptions
                    {
                        UpdateFilter = ProtoFilters.ToFilter(op.Upsert.UpdateFilter, $"{field}.upsert.update_filter"),
                        Mode = op.Upsert.HasUpdateMode ? Mode(op.Upsert.UpdateMode) : UpdateMode.Upsert,
                    });
            case G.PointsUpdateOperation.OperationOneofCase.DeletePoints:
                ProtoQueries.RefuseShardKey(op.DeletePoints.ShardKeySelector, $"{field}.delete_points");
                return new DeletePointsOperation(ProtoPoints.ToSelector(op.DeletePoints.Points, limits, $"{field}.delete_points.points"));
#pragma warning disable CS0612 // Qdrant's deprecated forms of delete and clear_payload, still accepted.
            case G.PointsUpdateOperation.OperationOneofCase.DeleteDeprecated:
                return new DeletePointsOperation(ProtoPoints.ToSelector(op.DeleteDeprecated, limits, $"{field}.delete_deprecated"));
            case G.PointsUpdateOperation.OperationOneofCase.ClearPayloadDeprecated:
                return new ClearPayloadOperation(ProtoPoints.ToSelector(op.ClearPayloadDeprecated, limits, $"{field}.clear_payload_deprecated"));
#pragma warning restore CS0612
            case G.PointsUpdateOperation.OperationOneofCase.SetPayload:
                var s = op.SetPayload;
                return ToSetPayload(s.Payload, s.PointsSelector, s.ShardKeySelector, s.HasKey ? s.Key : null, $"{field}.set_payload");
            case G.PointsUpdateOperation.OperationOneofCase.OverwritePayload:
                var o = op.OverwritePayload;
                return ToOverwritePayload(o.Payload, o.PointsSelector, o.ShardKeySelector, o.HasKey ? o.Key : null, $"{field}.overwrite_payload");
            case G.PointsUpdateOperation.OperationOneofCase.DeletePayload:
                ProtoQueries.RefuseShardKey(op.DeletePayload.ShardKeySelector, $"{field}.delete_payload");
                return new DeletePayloadOperation(
                    ProtoPoints.ToSelector(op.DeletePayload.PointsSelector, limits, $"{field}.delete_payload.points_selector"),
                    ProtoPoints.ToKeys(op.DeletePayload.Keys, $"{field}.delete_payload.keys"));
            case G.PointsUpdateOperation.OperationOneofCase.ClearPayload:
                ProtoQueries.RefuseShardKey(op.ClearPayload.ShardKeySelector, $"{field}.clear_payload");
                return new ClearPayloadOperation(ProtoPoints.ToSelector(op.ClearPayload.Points, limits, $"{field}.clear_payload.points"));
            case G.PointsUpdateOperation.OperationOneofCase.UpdateVectors:
                ProtoQueries.RefuseShardKey(op.UpdateVectors.ShardKeySelector, $"{field}.update_vectors");
                return new UpdateVectorsOperation(
                    ProtoPoints.ToPointVectors(op.UpdateVectors.Points, limits, $"{field}.update_vectors.points"),
                    ProtoFilters.ToFilter(op.UpdateVectors.UpdateFilter, $"{field}.update_vectors.update_filter"));
            case G.PointsUpdateOperation.OperationOneofCase.DeleteVectors:
                ProtoQueries.RefuseShardKey(op.DeleteVectors.ShardKeySelector, $"{field}.delete_vectors");
                return new DeleteVectorsOperation(
                    ProtoPoints.ToSelector(op.DeleteVectors.PointsSelector, limits, $"{field}.delete_vectors.points_selector"),
                    VectorNames(op.DeleteVectors.Vectors, $"{field}.delete_vectors.vectors"));
            default:
                throw new ValidationException(field, "an operation is required: upsert, delete_points, set_payload, overwrite_payload, delete_payload, clear_payload, update_vectors or delete_vectors.");
        }
    }

    private SetPayloadOperation ToSetPayload(Google.Protobuf.Collections.MapField<string, G.Value> payload, G.PointsSelector? selector, G.ShardKeySelector? shard, string? key, string field)
    {
        ProtoQueries.RefuseShardKey(shard, field);
        if (key is not null)
        {
            _ = RoseForest.Core.Payloads.PayloadPath.Parse(key, ProtoQueries.Join(field, "key"));
        }

        return new SetPayloadOperation(
            ProtoPoints.ToSelector(selector, limits, ProtoQueries.Join(field, "points_selector")),
            ProtoValues.ToJsonObject(payload, ProtoQueries.Join(field, "payload")),
            key);
    }

    private OverwritePayloadOperation ToOverwritePayload(Google.Protobuf.Collections.MapField<string, G.Value> payload, G.PointsSelector? selector, G.ShardKeySelector? shard, string? key, string field)
    {
        ProtoQueries.RefuseShardKey(shard, field);
        if (key is not null)
        {
            throw new ValidationException(ProtoQueries.Join(field, "key"), "overwrite_payload replaces the whole payload; use set_payload to write at a key.");
        }

        return new OverwritePayloadOperation(
            ProtoPoints.ToSelector(selector, limits, ProtoQueries.Join(field, "points_selector")),
            ProtoValues.ToJsonObject(payload, ProtoQueries.Join(field, "payload")));
    }

    private static string[] VectorNames(G.VectorsSelector? selector, string field)
    {
        if (selector is null || selector.Names.Count == 0)
        {
            throw new ValidationException(field, "name at least one vector to delete.");
        }

        return [.. selector.Names];
    }

    private static UpdateMode Mode(G.UpsertPoints request) => request.HasUpdateMode ? Mode(request.UpdateMode) : UpdateMode.Upsert;

    private static UpdateMode Mode(G.UpdateMode mode) => mode switch
    {
        G.UpdateMode.Upsert => UpdateMode.Upsert,
        G.UpdateMode.InsertOnly => UpdateMode.InsertOnly,
        G.UpdateMode.UpdateOnly => UpdateMode.UpdateOnly,
        _ => throw new ValidationException("update_mode", $"unknown update mode {(int)mode}."),
    };

    private IVectorCollection Collection(string name) => db.GetCollection(name);
}
