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

    /// <summary>A payload index created (or replaced with another schema).</summary>
    CreatePayloadIndex = 8,

    /// <summary>A payload index dropped.</summary>
    DeletePayloadIndex = 9,

    /// <summary>A named vector added to the collection.</summary>
    CreateVector = 10,

    /// <summary>A named vector removed from the collection.</summary>
    DeleteVector = 11,

    /// <summary>The collection's settings changed (PATCH).</summary>
    UpdateCollection = 12,
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

    /// <summary>The layout the positions above refer to.</summary>
    public Spaces.VectorLayout? Layout { get; init; }
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

/// <summary>Create or drop a payload index. Names no points.</summary>
internal sealed class IndexOp(OpKind kind, PayloadPath key, PayloadIndexParams? schema = null) : WriteOp
{
    public override OpKind Kind { get; } = kind;

    public override int PointCount => 0;

    /// <summary>The indexed path.</summary>
    public PayloadPath Key { get; } = key;

    /// <summary>For create: the schema.</summary>
    public PayloadIndexParams? Schema { get; } = schema;

    /// <summary>
    /// Set by <c>Collection.Stage</c> for create: the index built from the state it will apply to,
    /// or null when an index of the same schema is already there (nothing to do). Never logged.
    /// </summary>
    public PayloadIndexes.FieldIndex? Staged { get; set; }
}

/// <summary>
/// A change to the collection's configuration: a vector created or deleted, or settings changed.
/// Names no points. Logged as what the user asked; <c>Collection.Stage</c> turns it into the new
/// options (and, on a live collection, any rebuilt graphs) against the current ones.
/// </summary>
internal sealed class ConfigOp : WriteOp
{
    private ConfigOp(OpKind kind, string? vectorName, VectorNameConfig? vector, CollectionUpdate? update)
    {
        Kind = kind;
        VectorName = vectorName;
        Vector = vector;
        Update = update;
    }

    public override OpKind Kind { get; }

    public override int PointCount => 0;

    /// <summary>For create and delete: the vector's name.</summary>
    public string? VectorName { get; }

    /// <summary>For create: the new vector.</summary>
    public VectorNameConfig? Vector { get; }

    /// <summary>For update: the changes.</summary>
    public CollectionUpdate? Update { get; }

    /// <summary>Set by Stage: the options after this change. Never logged.</summary>
    public CollectionOptions? NewOptions { get; set; }

    /// <summary>Set by Stage on a live collection: graphs rebuilt with new HNSW settings, by dense vector name (null: the index is turned off). Never logged.</summary>
    public Dictionary<string, Index.Hnsw.HnswGraph?>? Graphs { get; set; }

    /// <summary>Set by Apply: what the change replaced, disposed once no reader can see it.</summary>
    public List<IDisposable> Replaced { get; } = [];

    /// <summary>Set by Apply: dense vectors whose int8 codes must be rebuilt.</summary>
    public List<Spaces.DenseSpace> Reencode { get; } = [];

    public static ConfigOp Create(string name, VectorNameConfig config) => new(OpKind.CreateVector, name, config, null);

    public static ConfigOp Delete(string name) => new(OpKind.DeleteVector, name, null, null);

    public static ConfigOp Change(CollectionUpdate update) => new(OpKind.UpdateCollection, null, null, update);
}
