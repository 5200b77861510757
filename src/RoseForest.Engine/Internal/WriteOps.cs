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

/// <summary>Insert or replace points. Vectors are prepared (validated, normalised) and flattened.</summary>
internal sealed class UpsertOp(PointId[] ids, float[] vectors, JsonElement?[] payloads) : WriteOp
{
    public override OpKind Kind => OpKind.Upsert;

    public override int PointCount => Ids.Length;

    public PointId[] Ids { get; } = ids;

    public float[] Vectors { get; } = vectors;

    public JsonElement?[] Payloads { get; } = payloads;
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
