using Google.Protobuf.Collections;
using RoseForest.Core.Payloads;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>Points, selectors and results between Qdrant's protobuf messages and the contract records.</summary>
internal static class ProtoPoints
{
    public static List<PointStruct> ToPoints(RepeatedField<G.PointStruct> points, GrpcApiOptions limits, string field = "points")
    {
        if (points.Count > limits.MaxBatchPoints)
        {
            throw new ValidationException(field, $"at most {limits.MaxBatchPoints} points per request, got {points.Count}.");
        }

        var result = new List<PointStruct>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var path = $"{field}[{i}]";
            var id = ProtoValues.ToPointId(p.Id, $"{path}.id");
            var (vector, named) = ProtoVectors.ToVectorStruct(p.Vectors, $"{path}.vectors");
            var payload = ProtoValues.ToPayload(p.Payload, $"{path}.payload");
            result.Add(new PointStruct(id, vector, payload) { Vectors = named });
        }

        return result;
    }

    /// <summary>update_vectors' points: ids with the vectors to set.</summary>
    public static List<PointStruct> ToPointVectors(RepeatedField<G.PointVectors> points, GrpcApiOptions limits, string field = "points")
    {
        if (points.Count > limits.MaxBatchPoints)
        {
            throw new ValidationException(field, $"at most {limits.MaxBatchPoints} points per request, got {points.Count}.");
        }

        var result = new List<PointStruct>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var path = $"{field}[{i}]";
            var (vector, named) = ProtoVectors.ToVectorStruct(points[i].Vectors, $"{path}.vectors");
            result.Add(new PointStruct(ProtoValues.ToPointId(points[i].Id, $"{path}.id"), vector) { Vectors = named });
        }

        return result;
    }

    public static PointSelector ToSelector(G.PointsSelector? selector, GrpcApiOptions limits, string field)
    {
        return (selector?.PointsSelectorOneOfCase ?? G.PointsSelector.PointsSelectorOneOfOneofCase.None) switch
        {
            G.PointsSelector.PointsSelectorOneOfOneofCase.Points => PointSelector.ById(ProtoValues.ToPointIds(selector!.Points.Ids, $"{field}.points", limits.MaxLimit)),
            G.PointsSelector.PointsSelectorOneOfOneofCase.Filter => PointSelector.Where(ProtoFilters.ToFilter(selector!.Filter, $"{field}.filter")!),
            _ => throw new ValidationException(field, "is required: point ids or a filter."),
        };
    }

    public static PayloadSelector ToPayloadSelector(G.WithPayloadSelector? selector, PayloadSelector defaultValue)
    {
        return (selector?.SelectorOptionsCase ?? G.WithPayloadSelector.SelectorOptionsOneofCase.None) switch
        {
            G.WithPayloadSelector.SelectorOptionsOneofCase.Enable => selector!.Enable,
            G.WithPayloadSelector.SelectorOptionsOneofCase.Include => PayloadSelector.Include([.. selector!.Include.Fields]),
            G.WithPayloadSelector.SelectorOptionsOneofCase.Exclude => PayloadSelector.Exclude([.. selector!.Exclude.Fields]),
            _ => defaultValue,
        };
    }

    public static VectorSelector ToVectorSelector(G.WithVectorsSelector? selector, bool defaultValue = false)
    {
        return (selector?.SelectorOptionsCase ?? G.WithVectorsSelector.SelectorOptionsOneofCase.None) switch
        {
            G.WithVectorsSelector.SelectorOptionsOneofCase.Enable => selector!.Enable,
            G.WithVectorsSelector.SelectorOptionsOneofCase.Include => VectorSelector.Only([.. selector!.Include.Names]),
            _ => defaultValue,
        };
    }

    public static G.RetrievedPoint ToRetrieved(Record r)
    {
        var point = new G.RetrievedPoint { Id = ProtoValues.FromPointId(r.Id), Vectors = ProtoVectors.ToOutput(r.Vector, r.Vectors) };
        ProtoValues.AddPayload(point.Payload, r.Payload);
        if (r.OrderValue is { } o)
        {
            point.OrderValue = ToOrderValue(o);
        }

        return point;
    }

    /// <summary>An order-by value as Qdrant's OrderValue: an integer, else a float (datetimes are microseconds, integers).</summary>
    private static G.OrderValue ToOrderValue(OrderValue o) =>
        o.IsInteger ? new G.OrderValue { Int = o.Integer } : new G.OrderValue { Float = o.AsDouble };

    public static G.ScoredPoint ToScored(ScoredPoint p)
    {
        var point = new G.ScoredPoint
        {
            Id = ProtoValues.FromPointId(p.Id),
            Score = (float)p.Score,
            Version = (ulong)Math.Max(0, p.Version),
            Vectors = ProtoVectors.ToOutput(p.Vector, p.Vectors),
        };
        if (p.OrderValue is { } o)
        {
            point.OrderValue = ToOrderValue(o);
        }

        ProtoValues.AddPayload(point.Payload, p.Payload);
        return point;
    }

    public static void AddScored(RepeatedField<G.ScoredPoint> target, IReadOnlyList<ScoredPoint> points)
    {
        foreach (var p in points)
        {
            target.Add(ToScored(p));
        }
    }

    public static G.BatchResult ToBatch(IReadOnlyList<ScoredPoint> points)
    {
        var batch = new G.BatchResult();
        AddScored(batch.Result, points);
        return batch;
    }

    /// <summary>An acknowledged write (RoseForest answers after the write is applied and durable, so always Completed).</summary>
    public static G.UpdateResult ToUpdate(UpdateResult r) =>
        new() { OperationId = (ulong)Math.Max(0, r.OperationId), Status = G.UpdateStatus.Completed };

    public static G.PointsOperationResponse ToResponse(UpdateResult r, double seconds) => new() { Result = ToUpdate(r), Time = seconds };

    /// <summary>Keys of a delete_payload, each a checked payload path.</summary>
    public static string[] ToKeys(RepeatedField<string> keys, string field)
    {
        var result = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            _ = PayloadPath.Parse(keys[i], $"{field}[{i}]");
            result[i] = keys[i];
        }

        return result;
    }
}
