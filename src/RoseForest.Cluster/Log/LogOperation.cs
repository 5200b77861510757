using System.Text.Json;
using RoseForest.Contracts.Qdrant;

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
}

/// <summary>
/// One shard's part of a write, as logged: the request in Qdrant's JSON body form (a selector may
/// be a filter: every replica resolves it against the same state at the same sequence, so the
/// result is the same everywhere). <see cref="ApplyAsync"/> is the one place a record meets a
/// replica's engine.
/// </summary>
internal sealed record LogOperation(LogOpKind Kind, byte[] Body)
{
    public static LogOperation Upsert(IReadOnlyList<PointStruct> points, bool project) =>
        new(LogOpKind.Upsert, QdrantJson.ToUtf8(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("project", project);
            w.WriteStartArray("points");
            foreach (var p in points)
            {
                w.WriteStartObject();
                w.WritePropertyName("id");
                p.Id.WriteTo(w);
                w.WriteStartArray("vector");
                foreach (var x in p.Vector)
                {
                    w.WriteNumberValue(x);
                }

                w.WriteEndArray();
                if (p.Payload is { } payload)
                {
                    w.WritePropertyName("payload");
                    payload.WriteTo(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }));

    public static LogOperation Delete(PointSelector selector) => new(LogOpKind.Delete, QdrantJson.ToUtf8(w => QdrantJson.WriteSelectorBody(w, selector)));

    public static LogOperation SetPayload(PointSelector selector, JsonElement payload, string? key) =>
        new(LogOpKind.SetPayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSetPayload(w, selector, payload, key)));

    public static LogOperation OverwritePayload(PointSelector selector, JsonElement payload) =>
        new(LogOpKind.OverwritePayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSetPayload(w, selector, payload, null)));

    public static LogOperation DeletePayload(PointSelector selector, IReadOnlyList<string> keys) =>
        new(LogOpKind.DeletePayload, QdrantJson.ToUtf8(w => QdrantJson.WriteDeletePayload(w, selector, keys)));

    public static LogOperation ClearPayload(PointSelector selector) => new(LogOpKind.ClearPayload, QdrantJson.ToUtf8(w => QdrantJson.WriteSelectorBody(w, selector)));

    /// <summary>Replays the record on a replica's collection: exactly one engine write.</summary>
    public Task<UpdateResult> ApplyAsync(IVectorCollection target, CancellationToken cancellationToken)
    {
        var body = JsonFields.ParseBody(Body);
        switch (Kind)
        {
            case LogOpKind.Upsert:
                var project = body.GetProperty("project").GetBoolean();
                var points = body.GetProperty("points").EnumerateArray().Select(p => new PointStruct(
                    PointId.FromJson(p.GetProperty("id")),
                    JsonFields.Vector(p.GetProperty("vector"), "vector"),
                    JsonFields.Get(p, "payload")?.Clone())).ToList();
                return target.UpsertAsync(points, new UpsertOptions { ProjectOntoManifold = project }, cancellationToken);
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
            default:
                throw new InvalidDataException($"unknown log record kind {(short)Kind}.");
        }
    }
}
