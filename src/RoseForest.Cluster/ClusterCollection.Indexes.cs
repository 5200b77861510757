namespace RoseForest.Cluster;

/// <summary>
/// Payload indexes in cluster mode: not built yet (they would be a shard-log record every replica
/// applies). Refused with a 400 rather than created on one node only; filters work without them.
/// </summary>
internal sealed partial class ClusterCollection
{
    public Task<UpdateResult> CreatePayloadIndexAsync(string fieldName, PayloadIndexParams schema, CancellationToken cancellationToken = default) =>
        throw new ClusterNotSupportedException("field_name", "payload indexes");

    public Task<UpdateResult> DeletePayloadIndexAsync(string fieldName, CancellationToken cancellationToken = default) =>
        throw new ClusterNotSupportedException("field_name", "payload indexes");
}
