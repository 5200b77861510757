using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

/// <summary><c>qdrant.Snapshots</c> over the database's snapshot catalogue (collection snapshots; no full-storage snapshots).</summary>
internal sealed class SnapshotsService(IVectorDatabase db) : G.Snapshots.SnapshotsBase
{
    public override async Task<G.CreateSnapshotResponse> Create(G.CreateSnapshotRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var snapshot = await db.Snapshots.CreateAsync(request.CollectionName, context.CancellationToken);
        return new G.CreateSnapshotResponse { SnapshotDescription = ToProto(snapshot), Time = t.Seconds };
    }

    public override async Task<G.ListSnapshotsResponse> List(G.ListSnapshotsRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var response = new G.ListSnapshotsResponse();
        foreach (var s in await db.Snapshots.ListAsync(request.CollectionName, context.CancellationToken))
        {
            response.SnapshotDescriptions.Add(ToProto(s));
        }

        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.DeleteSnapshotResponse> Delete(G.DeleteSnapshotRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        if (!await db.Snapshots.DeleteAsync(request.CollectionName, request.SnapshotName, context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Not found: snapshot {request.SnapshotName} of collection {request.CollectionName} does not exist."));
        }

        return new G.DeleteSnapshotResponse { Time = t.Seconds };
    }

    public override Task<G.CreateSnapshotResponse> CreateFull(G.CreateFullSnapshotRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Full-storage snapshots are not supported by RoseForest; snapshot each collection.");

    public override Task<G.ListSnapshotsResponse> ListFull(G.ListFullSnapshotsRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Full-storage snapshots are not supported by RoseForest; list each collection's snapshots.");

    public override Task<G.DeleteSnapshotResponse> DeleteFull(G.DeleteFullSnapshotRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Full-storage snapshots are not supported by RoseForest.");

    private static G.SnapshotDescription ToProto(SnapshotDescription s) => new()
    {
        Name = s.Name,
        CreationTime = Timestamp.FromDateTimeOffset(s.CreationTime),
        Size = s.Size,
        Checksum = s.Checksum,
    };
}
