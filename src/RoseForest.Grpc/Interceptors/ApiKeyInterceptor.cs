using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace RoseForest.Grpc.Interceptors;

/// <summary>
/// API keys on gRPC, as on REST: with a key configured every rpc but the health checks needs
/// metadata <c>api-key</c> (or <c>authorization: Bearer …</c>), else Unauthenticated; the
/// read-only key may call only the rpcs that read (Qdrant's list), else PermissionDenied. Keys are
/// compared through SHA-256 in constant time. Any other key is offered to the host's other key
/// issuers (<see cref="IKeyIssuer"/>: model keys); the call then acts as that holder, which decides
/// what <see cref="GrpcAccess"/> says the rpc asks of its collection: PermissionDenied when it may
/// not, ResourceExhausted with <c>retry-after</c> (seconds) when its budget is spent.
/// </summary>
internal sealed class ApiKeyInterceptor(GrpcApiOptions options, IEnumerable<IKeyIssuer> issuers) : Interceptor
{
    private readonly IKeyIssuer[] _issuers = [.. issuers];

    private readonly byte[]? _key = Hash(options.ApiKey);
    private readonly byte[]? _readOnlyKey = Hash(options.ReadOnlyApiKey);

    /// <summary>The rpcs anyone may call: the health checks.</summary>
    internal static bool IsOpen(string method) =>
        method is "/qdrant.Qdrant/HealthCheck" or "/grpc.health.v1.Health/Check" or "/grpc.health.v1.Health/Watch";

    /// <summary>The rpcs that only read (Qdrant's read-only set).</summary>
    internal static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "/qdrant.Collections/Get", "/qdrant.Collections/List", "/qdrant.Collections/CollectionExists", "/qdrant.Collections/ListAliases",
        "/qdrant.Collections/ListCollectionAliases", "/qdrant.Collections/CollectionClusterInfo", "/qdrant.Collections/ListShardKeys",
        "/qdrant.Points/Get", "/qdrant.Points/Scroll", "/qdrant.Points/Count", "/qdrant.Points/Search", "/qdrant.Points/SearchBatch",
        "/qdrant.Points/SearchGroups", "/qdrant.Points/Recommend", "/qdrant.Points/RecommendBatch", "/qdrant.Points/RecommendGroups",
        "/qdrant.Points/Discover", "/qdrant.Points/DiscoverBatch", "/qdrant.Points/Query", "/qdrant.Points/QueryBatch", "/qdrant.Points/QueryGroups",
        "/qdrant.Points/Facet", "/qdrant.Points/SearchMatrixPairs", "/qdrant.Points/SearchMatrixOffsets",
        "/qdrant.Snapshots/List", "/qdrant.Snapshots/ListFull",
    };

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context, object request)
    {
        if (IsOpen(context.Method))
        {
            return;
        }

        var presented = Presented(context.RequestHeaders);
        var open = _key is null && _readOnlyKey is null;
        if (open && (presented is null || _issuers.Length == 0))
        {
            return;
        }

        if (presented is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"));
        }

        var hash = Hash(presented)!;
        if (_key is not null && CryptographicOperations.FixedTimeEquals(hash, _key))
        {
            return;
        }

        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(hash, _readOnlyKey))
        {
            if (ReadMethods.Contains(context.Method))
            {
                return;
            }

            throw new RpcException(new Status(StatusCode.PermissionDenied, "Write access denied"));
        }

        // Another issuer's key (a model's): the call acts as its holder, which decides.
        foreach (var issuer in _issuers)
        {
            if (issuer.Identify(presented) is { } holder)
            {
                Authorize(holder, context.Method, request);
                return;
            }
        }

        if (!open)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Invalid API key or JWT"));
        }
    }

    private static void Authorize(IKeyHolder holder, string method, object request)
    {
        var access = GrpcAccess.Classify(method);
        try
        {
            holder.Authorize(access, access == CollectionAccess.Server ? null : GrpcAccess.CollectionOf(request), access == CollectionAccess.Write ? GrpcAccess.VectorsOf(request) : 1);
        }
        catch (RoseForestException e)
        {
            // Refusals (PermissionDenied, ResourceExhausted) and, say, a model removed since its key was identified (NotFound).
            throw ErrorInterceptor.ToRpcException(e);
        }
    }

    private static string? Presented(Metadata headers)
    {
        if (headers.GetValue("api-key") is { Length: > 0 } key)
        {
            return key;
        }

        return headers.GetValue("authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : null;
    }

    private static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
