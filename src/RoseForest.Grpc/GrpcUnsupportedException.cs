namespace RoseForest.Grpc;

/// <summary>A request for something Qdrant's gRPC API has and RoseForest does not; answered with status Unimplemented and this message.</summary>
internal sealed class GrpcUnsupportedException(string message) : Exception(message);
