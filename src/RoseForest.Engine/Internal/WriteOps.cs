using System.Text.Json;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.Internal;

/// <summary>The kinds of logged operation; the byte is the first of every WAL record (docs/file-formats.md).</summary>
internal enum OpKind : byte
{
    Upsert = 1,
    Delete = 2,
    SetPayload = 3,
    OverwritePayload = 4,
    DeletePayloadKeys = 5,
    ClearPayload = 6,

    /// <summary>An upsert with named, sparse or multi vectors (encoded by vector name; kind 1 is the unnamed-vector-only form).</summary>
    UpsertNamed = 7,
}

/// <summary>
/// A write as it is logged and applied: always in terms of point ids (a filter is resolved to
/// ids before logging, so replay is deterministic) and, for upserts, already-prepared vectors.
/// </summary>
internal abstract class WriteOp
{
    public abstract OpKind Kind { get; }

    public abstract int PointCount { get; }
}

/// <summary>Insert or replace points, with every vector prepared (validated, normalised, rounded to the datatype).</summary>
internal sealed class UpsertOp(PointId[] ids, PreparedVectors[] vectors, JsonElement?[] payloads) : WriteOp
{
    public override OpKind Kind => OpKind.Upsert;

    public override int PointCount => Ids.Length;

    public PointId[] Ids { get; } = ids;

    /// <summary>Each point's vectors, by space.</summary>
    public PreparedVectors[] Vectors { get; } = vectors;

    public JsonElement?[] Payloads { get; } = payloads;
}

/// <summary>
/// One point's vectors as stored, by the collection's spaces (index = the space's position): a
/// dense vector, a multivector (sub-vectors flattened) and a sparse vector (indices sorted) per
/// space, null where the point has none.
/// </summary>
internal sealed class PreparedVectors(int dense, int multi, int sparse)
{
    public float[]?[] Dense { get; } = new float[]?[dense];

    public float[]?[] Multi { get; } = new float[]?[multi];

    public SparseVector?[] Sparse { get; } = new SparseVector?[sparse];
}

/// <summary>Delete points (missing ids are ignored).</summary>
internal sealed class DeleteOp(PointId[] ids) : WriteOp
{
    public override OpKind Kind => OpKind.Delete;

    public override int PointCount => Ids.Length;

    public PointId[] Ids { get; } = ids;
}

/// <summary>A payload edit on existing points.</summary>
internal sealed class PayloadOp : WriteOp
{
    public PayloadOp(OpKind kind, PointId[] ids, JsonElement? payload = null, PayloadPath? key = null, PayloadPath[]? keys = null)
    {
        Kind = kind;
        Ids = ids;
        Payload = payload;
        Key = key;
        Keys = keys ?? [];
    }

    public override OpKind Kind { get; }

    public override int PointCount => Ids.Length;

    public PointId[] Ids { get; }

    /// <summary>The patch (set) or the new payload (overwrite).</summary>
    public JsonElement? Payload { get; }

    /// <summary>For set: the nested object the patch applies to.</summary>
    public PayloadPath? Key { get; }

    /// <summary>For delete-keys: the paths to remove.</summary>
    public PayloadPath[] Keys { get; }

    /// <summary>
    /// Set by <c>Collection.Stage</c> against the state the operation will apply to: each id's
    /// new payload (null: no payload; ids that are absent keep their place with
    /// <see cref="Absent"/>). Never logged; replay stages again with the same code.
    /// </summary>
    public JsonElement?[]? Staged { get; set; }

    /// <summary>Marks, in <see cref="Staged"/>, an id that is not in the collection (the edit skips it).</summary>
    public bool[]? Absent { get; set; }
}
