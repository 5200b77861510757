using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RoseForest.Grpc.Interceptors;

/// <summary>
/// What each rpc asks of the collection it names, for the holders of other issuers' keys
/// (<see cref="IKeyHolder"/>: model keys). The same split as the REST routes': reads and writes of a
/// collection, deleting it, and server-wide operations (listing everything, aliases, snapshots),
/// which stay the administrator's. An rpc not listed here is server-wide, so a method added later
/// is closed to model keys until someone decides otherwise.
/// </summary>
internal static class GrpcAccess
{
    private static readonly Dictionary<string, CollectionAccess> Rules = Build();

    /// <summary>The access an rpc needs (full method name, <c>/qdrant.Points/Search</c>).</summary>
    public static CollectionAccess Classify(string method) => Rules.TryGetValue(method, out var access) ? access : CollectionAccess.Server;

    /// <summary>The collection a request names (its <c>collection_name</c> field), or null.</summary>
    public static string? CollectionOf(object request) =>
        request is IMessage message && message.Descriptor.FindFieldByName("collection_name") is { FieldType: FieldType.String, IsRepeated: false } field
            && field.Accessor.GetValue(message) is string { Length: > 0 } name ? name : null;

    /// <summary>
    /// The vectors a write carries, for the holder's vectors/s budget: the length of its repeated
    /// <c>points</c> (upsert, update vectors), else of its <c>operations</c> (a batch counts one per
    /// operation), else 1 (deletes and payload edits by selector).
    /// </summary>
    public static int VectorsOf(object request)
    {
        if (request is not IMessage message)
        {
            return 1;
        }

        foreach (var name in (ReadOnlySpan<string>)["points", "operations"])
        {
            if (message.Descriptor.FindFieldByName(name) is { IsRepeated: true } field && field.Accessor.GetValue(message) is IList list)
            {
                return Math.Max(1, list.Count);
            }
        }

        return 1;
    }

    private static Dictionary<string, CollectionAccess> Build()
    {
        var rules = new Dictionary<string, CollectionAccess>(StringComparer.Ordinal);
        foreach (var method in ApiKeyInterceptor.ReadMethods)
        {
            rules[method] = CollectionAccess.Read;
        }

        // Listing every collection or alias reads the server, not one collection.
        rules["/qdrant.Collections/List"] = CollectionAccess.Server;
        rules["/qdrant.Collections/ListAliases"] = CollectionAccess.Server;
        rules["/qdrant.Snapshots/List"] = CollectionAccess.Server;
        rules["/qdrant.Snapshots/ListFull"] = CollectionAccess.Server;
        foreach (var write in (ReadOnlySpan<string>)
        [
            "Create", "Update", "UpdateCollectionClusterSetup", "CreateShardKey", "DeleteShardKey",
        ])
        {
            rules["/qdrant.Collections/" + write] = CollectionAccess.Write;
        }

        foreach (var write in (ReadOnlySpan<string>)
        [
            "Upsert", "Delete", "UpdateVectors", "DeleteVectors", "SetPayload", "OverwritePayload", "DeletePayload", "ClearPayload",
            "CreateFieldIndex", "DeleteFieldIndex", "CreateVectorName", "DeleteVectorName", "UpdateBatch",
        ])
        {
            rules["/qdrant.Points/" + write] = CollectionAccess.Write;
        }

        rules["/qdrant.Collections/Delete"] = CollectionAccess.Administer;
        return rules;
    }
}
