using Grpc.Core;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

/// <summary><c>qdrant.Qdrant/HealthCheck</c>: the title and the Qdrant API version implemented (what REST's GET / reports).</summary>
internal sealed class QdrantService : G.Qdrant.QdrantBase
{
    public override Task<G.HealthCheckReply> HealthCheck(G.HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new G.HealthCheckReply { Title = "roseforest - vector search engine", Version = GrpcApi.QdrantApiVersion });
}
