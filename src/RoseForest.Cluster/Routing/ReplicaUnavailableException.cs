namespace RoseForest.Cluster.Routing;

/// <summary>
/// A replica could not serve a request (not ready, behind its token after waiting, its node
/// unreachable): the router tries another replica. When no replica can, the caller gets
/// <see cref="ClusterUnavailableException"/>.
/// </summary>
internal sealed class ReplicaUnavailableException(string message) : RoseForestException(message);
