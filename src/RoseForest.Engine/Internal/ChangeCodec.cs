using System.Text.Json;

namespace RoseForest.Engine.Internal;

/// <summary>Turns a logged operation into the change feed's contract form.</summary>
internal static class ChangeCodec
{
    /// <summary>The record as a change, or null when it cannot be decoded (a record recovery quarantined).</summary>
    public static ChangeOperation? TryDecode(ReadOnlySpan<byte> record, int dimension)
    {
        WriteOp op;
        try
        {
            op = OpCodec.Decode(record, dimension);
        }
        catch (Exception e) when (e is InvalidDataException or RoseForestException or JsonException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }

        return ToChange(op);
    }

    public static ChangeOperation ToChange(WriteOp op) => op switch
    {
        UpsertOp u => new UpsertChange(Points(u)),
        DeleteOp d => new DeleteChange(d.Ids),
        PayloadOp { Kind: OpKind.SetPayload } p => new SetPayloadChange(p.Ids, p.Payload!.Value, p.Key?.Text),
        PayloadOp { Kind: OpKind.OverwritePayload } p => new OverwritePayloadChange(p.Ids, p.Payload!.Value),
        PayloadOp { Kind: OpKind.DeletePayloadKeys } p => new DeletePayloadKeysChange(p.Ids, [.. p.Keys.Select(k => k.Text)]),
        PayloadOp p => new ClearPayloadChange(p.Ids),
        _ => throw new InvalidOperationException($"no change form for {op.GetType().Name}"),
    };

    private static PointStruct[] Points(UpsertOp u)
    {
        var dim = u.Ids.Length == 0 ? 0 : u.Vectors.Length / u.Ids.Length;
        var points = new PointStruct[u.Ids.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointStruct(u.Ids[i], u.Vectors.AsSpan(i * dim, dim).ToArray(), u.Payloads[i]);
        }

        return points;
    }
}
