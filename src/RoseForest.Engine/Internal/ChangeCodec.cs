using System.Text.Json;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine.Internal;

/// <summary>Turns a logged operation into the change feed's contract form.</summary>
internal static class ChangeCodec
{
    /// <summary>The record as a change, or null when it cannot be decoded (a record recovery quarantined).</summary>
    public static ChangeOperation? TryDecode(ReadOnlySpan<byte> record, VectorLayout layout)
    {
        WriteOp op;
        try
        {
            op = OpCodec.Decode(record, layout);
        }
        catch (Exception e) when (e is InvalidDataException or RoseForestException or JsonException or ArgumentException or IndexOutOfRangeException)
        {
            // Written before the collection's vectors changed (a vector deleted or recreated
            // since): read it with the vectors it names itself.
            try
            {
                layout = OpCodec.RecordLayout(record);
                op = OpCodec.Decode(record, layout);
            }
            catch (Exception again) when (again is InvalidDataException or RoseForestException or JsonException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                return null;
            }
        }

        return ToChange(op, layout);
    }

    public static ChangeOperation ToChange(WriteOp op, VectorLayout layout) => op switch
    {
        UpsertOp u => new UpsertChange(Points(u, layout)),
        DeleteOp d => new DeleteChange(d.Ids),
        PayloadOp { Kind: OpKind.SetPayload } p => new SetPayloadChange(p.Ids, p.Payload!.Value, p.Key?.Text),
        PayloadOp { Kind: OpKind.OverwritePayload } p => new OverwritePayloadChange(p.Ids, p.Payload!.Value),
        PayloadOp { Kind: OpKind.DeletePayloadKeys } p => new DeletePayloadKeysChange(p.Ids, [.. p.Keys.Select(k => k.Text)]),
        PayloadOp p => new ClearPayloadChange(p.Ids),
        IndexOp { Kind: OpKind.CreatePayloadIndex } i => new CreatePayloadIndexChange(i.Key.Canonical, i.Schema!),
        IndexOp i => new DeletePayloadIndexChange(i.Key.Canonical),
        ConfigOp { Kind: OpKind.CreateVector } c => new CreateVectorChange(c.VectorName!, c.Vector!),
        ConfigOp { Kind: OpKind.DeleteVector } c => new DeleteVectorChange(c.VectorName!),
        ConfigOp c => new UpdateCollectionChange(c.Update!),
        _ => throw new InvalidOperationException($"no change form for {op.GetType().Name}"),
    };

    private static PointStruct[] Points(UpsertOp u, VectorLayout layout)
    {
        var points = new PointStruct[u.Ids.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var v = u.Vectors[i];
            float[]? unnamed = null;
            Dictionary<string, VectorData>? named = null;
            for (var d = 0; d < v.Dense.Length; d++)
            {
                if (v.Dense[d] is { } dense)
                {
                    if (layout.Dense[d].Length == 0)
                    {
                        unnamed = dense;
                    }
                    else
                    {
                        (named ??= [])[layout.Dense[d]] = new DenseVector(dense);
                    }
                }
            }

            for (var m = 0; m < v.Multi.Length; m++)
            {
                if (v.Multi[m] is { } flat)
                {
                    var dim = layout.MultiDims[m];
                    var rows = new float[flat.Length / dim][];
                    for (var r = 0; r < rows.Length; r++)
                    {
                        rows[r] = flat.AsSpan(r * dim, dim).ToArray();
                    }

                    (named ??= [])[layout.Multi[m]] = new MultiVector(rows);
                }
            }

            for (var sp = 0; sp < v.Sparse.Length; sp++)
            {
                if (v.Sparse[sp] is { } sparse)
                {
                    (named ??= [])[layout.Sparse[sp]] = sparse;
                }
            }

            points[i] = new PointStruct(u.Ids[i], unnamed, u.Payloads[i]) { Vectors = named };
        }

        return points;
    }
}
