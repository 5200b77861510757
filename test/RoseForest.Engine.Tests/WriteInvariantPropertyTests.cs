using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Issue 10's invariant, as a property over random operation sequences with random payload
/// shapes and random payload paths (valid and invalid): after every operation, either it was
/// refused with a typed error and nothing was logged (the LSN and the log's bytes are
/// unchanged), or it was logged and applied (the state equals a plainly written model of
/// Qdrant's semantics); and reopening the folder, cleanly or from a crash image, always works
/// and gives the same state.
/// </summary>
public class WriteInvariantPropertyTests
{
    private const int Ids = 6;
    private static readonly string[] KeyNames = ["a", "b", "nest", "q k"];
    private static readonly string[] InvalidPaths = ["", ".", "a..b", "[0]", "a.", "a[x]", "a b", "a[", "\"open", "a[-1]", "a.[0]", "a]"];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Int[-3, 3].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("\"x\"", "\"y\"", "true", "null"));

    private static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency((3, Scalar), (1, Object(depth - 1, allowNull: true)), (1, Value(depth - 1).Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")));

    private static Gen<string> Object(int depth, bool allowNull) =>
        Gen.Int[0, (1 << KeyNames.Length) - 1].SelectMany(mask =>
        {
            var keys = KeyNames.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            return Gen.Select(Value(depth).Array[keys.Length], values =>
                "{" + string.Join(",", keys.Zip(values, (k, v) => JsonSerializer.Serialize(k) + ":" + (allowNull || v != "null" ? v : "1"))) + "}");
        });

    private static readonly Gen<string> KeySegment = Gen.OneOf(KeyNames).Select(k => k.Contains(' ', StringComparison.Ordinal) ? "\"" + k + "\"" : k);

    private static readonly Gen<string> ValidPath = Gen.Select(
        KeySegment,
        Gen.OneOf(KeySegment.Select(k => "." + k), Gen.OneOf("[0]", "[1]", "[5]", "[]")).Array[0, 3],
        (first, rest) => first + string.Concat(rest));

    private static readonly Gen<string> AnyPath = Gen.Frequency((4, ValidPath), (1, Gen.OneOf(InvalidPaths)));

    /// <summary>Mostly ids that exist (every id is upserted first), sometimes one that does not.</summary>
    private static readonly Gen<ulong[]> Selection = Gen.Frequency((6, Gen.ULong[0, Ids - 1].Array[1, 3]), (1, Gen.ULong[0, Ids + 1].Array[1, 3]));

    private static Gen<Op[]> Scenario => Gen.Select(
        Object(2, allowNull: false).Array[Ids],
        Operation.Array[5, 40],
        (payloads, ops) => payloads.Select((p, i) => (Op)new UpsertOp((ulong)i, p)).Concat(ops).ToArray());

    private static readonly Gen<Op> Operation = Gen.Frequency(
        (4, Gen.Select(Gen.ULong[0, Ids - 1], Gen.Frequency((4, Object(2, allowNull: false).Select(s => (string?)s)), (1, Gen.Const((string?)null))), (id, p) => (Op)new UpsertOp(id, p))),
        (6, Gen.Select(Selection, Object(2, allowNull: true), Gen.Frequency((1, Gen.Const((string?)null)), (4, AnyPath.Select(s => (string?)s))), (ids, patch, key) => (Op)new SetOp(ids, patch, key))),
        (1, Gen.Select(Selection, Object(2, allowNull: false), (ids, p) => (Op)new OverwriteOp(ids, p))),
        (3, Gen.Select(Selection, AnyPath.Array[1, 3], (ids, keys) => (Op)new DeleteKeysOp(ids, keys))),
        (1, Selection.Select(ids => (Op)new ClearOp(ids))),
        (1, Selection.Select(ids => (Op)new DeleteOp(ids))));

    [Fact]
    public async Task Every_operation_is_either_refused_with_nothing_logged_or_logged_and_applied_and_reopening_always_works()
    {
        await Gen.Select(Scenario, Gen.Bool).SampleAsync(RunAsync, seed: "0N0XIzNsQ0O2", iter: 100, threads: 1);
    }

    private static async Task RunAsync(Op[] ops, bool crash)
    {
        using var tmp = new TempDir();
        var model = new Dictionary<ulong, JsonObject?>();
        var options = new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid, Durability = Durability.Sync };
        var folder = tmp.Path;
        using var crashed = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await db.CreateCollectionAsync("c", options);
            foreach (var op in ops)
            {
                var lsn = c.LastLsn;
                var logBytes = LogBytes(tmp.Path);
                var expected = Clone(model);
                var refusal = op.ApplyTo(expected);
                try
                {
                    await op.RunAsync(c);
                }
                catch (RoseForestException e) when (e is ValidationException or PointNotFoundException)
                {
                    Assert.True(refusal is not null, $"{op} was refused ({e.Message}) but the model accepts it");
                    Assert.Equal(refusal, e.GetType());
                    Assert.Equal(lsn, c.LastLsn);
                    Assert.Equal(logBytes, LogBytes(tmp.Path));
                    await AssertStateAsync(c, model, op.ToString()!);
                    continue;
                }

                Assert.True(refusal is null, $"{op} was accepted but the model refuses it with {refusal?.Name}");
                Assert.Equal(lsn + 1, c.LastLsn);
                model = expected;
                await AssertStateAsync(c, model, op.ToString()!);
            }

            if (crash)
            {
                RecoveryTests.CopyDirectory(tmp.Path, crashed.Path);
                folder = crashed.Path;
            }
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(folder);
        var again = reopened.GetCollection("c");
        Assert.Empty(again.Recovery!.Quarantined);
        await AssertStateAsync(again, model, crash ? "after a crash" : "after a clean reopen");
    }

    private static long LogBytes(string root) => Directory.GetFiles(Path.Combine(root, "collections", "c", "wal"), "*.wal").Sum(f => new FileInfo(f).Length);

    private static Dictionary<ulong, JsonObject?> Clone(Dictionary<ulong, JsonObject?> model) =>
        model.ToDictionary(kv => kv.Key, kv => (JsonObject?)kv.Value?.DeepClone());

    private static async Task AssertStateAsync(Collection c, Dictionary<ulong, JsonObject?> model, string context)
    {
        Assert.Equal(model.Count, await c.CountAsync());
        for (ulong id = 0; id < Ids + 2; id++)
        {
            var record = await c.GetAsync(id);
            if (!model.TryGetValue(id, out var payload))
            {
                Assert.Null(record);
                continue;
            }

            Assert.NotNull(record);
            var actual = record!.Payload is { } p ? JsonNode.Parse(p.GetRawText()) : null;
            var expected = payload ?? null;
            Assert.True(JsonNode.DeepEquals(expected ?? new JsonObject(), actual ?? new JsonObject()), $"{context}: point {id} expected {expected?.ToJsonString() ?? "{}"}, got {actual?.ToJsonString() ?? "{}"}");
        }
    }

    /// <summary>One operation, run on the engine and on the model (which says whether the engine must refuse it).</summary>
    private abstract record Op
    {
        public abstract Task RunAsync(Collection c);

        /// <summary>Applies the operation to the model; returns the exception type the engine must throw, or null.</summary>
        public abstract Type? ApplyTo(Dictionary<ulong, JsonObject?> model);

        protected static Type? MissingId(Dictionary<ulong, JsonObject?> model, ulong[] ids) =>
            ids.Any(id => !model.ContainsKey(id)) ? typeof(PointNotFoundException) : null;
    }

    private sealed record UpsertOp(ulong Id, string? Payload) : Op
    {
        public override Task RunAsync(Collection c) => c.UpsertAsync([new PointStruct(Id, [Id, 1], Payload is null ? null : JsonElement.Parse(Payload))]);

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            model[Id] = Payload is null ? null : (JsonObject)JsonNode.Parse(Payload)!;
            return null;
        }
    }

    private sealed record SetOp(ulong[] Ids, string Patch, string? Key) : Op
    {
        public override Task RunAsync(Collection c) => c.SetPayloadAsync(PointSelector.ById([.. Ids.Select(i => (PointId)i)]), JsonElement.Parse(Patch), Key);

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            var path = Key is null ? [] : ModelPath.Parse(Key);
            if (path is null)
            {
                return typeof(ValidationException);
            }

            if (MissingId(model, Ids) is { } missing)
            {
                return missing;
            }

            foreach (var id in Ids.Distinct())
            {
                var root = model[id] ?? [];
                ModelPath.Set(root, path, (JsonObject)JsonNode.Parse(Patch)!);
                model[id] = root;
            }

            return null;
        }

        public override string ToString() => $"set {Patch} key {Key ?? "(none)"} on [{string.Join(",", Ids)}]";
    }

    private sealed record OverwriteOp(ulong[] Ids, string Payload) : Op
    {
        public override Task RunAsync(Collection c) => c.OverwritePayloadAsync(PointSelector.ById([.. Ids.Select(i => (PointId)i)]), JsonElement.Parse(Payload));

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            if (MissingId(model, Ids) is { } missing)
            {
                return missing;
            }

            foreach (var id in Ids.Distinct())
            {
                model[id] = (JsonObject)JsonNode.Parse(Payload)!;
            }

            return null;
        }
    }

    private sealed record DeleteKeysOp(ulong[] Ids, string[] Keys) : Op
    {
        public override Task RunAsync(Collection c) => c.DeletePayloadKeysAsync(PointSelector.ById([.. Ids.Select(i => (PointId)i)]), Keys);

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            var paths = Keys.Select(ModelPath.Parse).ToArray();
            if (paths.Any(p => p is null))
            {
                return typeof(ValidationException);
            }

            if (MissingId(model, Ids) is { } missing)
            {
                return missing;
            }

            foreach (var id in Ids.Distinct())
            {
                if (model[id] is { } root)
                {
                    foreach (var path in paths)
                    {
                        ModelPath.Remove(root, path!);
                    }
                }
            }

            return null;
        }

        public override string ToString() => $"delete keys [{string.Join(" | ", Keys)}] on [{string.Join(",", Ids)}]";
    }

    private sealed record ClearOp(ulong[] Ids) : Op
    {
        public override Task RunAsync(Collection c) => c.ClearPayloadAsync(PointSelector.ById([.. Ids.Select(i => (PointId)i)]));

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            if (MissingId(model, Ids) is { } missing)
            {
                return missing;
            }

            foreach (var id in Ids)
            {
                model[id] = null;
            }

            return null;
        }
    }

    private sealed record DeleteOp(ulong[] Ids) : Op
    {
        public override Task RunAsync(Collection c) => c.DeleteAsync(PointSelector.ById([.. Ids.Select(i => (PointId)i)]));

        public override Type? ApplyTo(Dictionary<ulong, JsonObject?> model)
        {
            foreach (var id in Ids)
            {
                model.Remove(id);
            }

            return null;
        }
    }
}
