using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Grpc.Interceptors;

/// <summary>
/// Turns the contracts' typed errors into gRPC status codes, as the REST API's error middleware
/// turns them into HTTP statuses: bad input is InvalidArgument with a message naming the field,
/// a missing collection or point NotFound, an existing collection AlreadyExists, a faulted
/// collection Unavailable, an rpc RoseForest lacks Unimplemented; only a genuine fault is
/// Internal, and it is logged.
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (Exception e)
        {
            var status = Map(e);
            if (status.StatusCode == StatusCode.Internal)
            {
                LogFault(logger, context.Method, e);
            }

            throw ToRpcException(e, status);
        }
    }

    /// <summary>The exception's status, with <c>retry-after</c> (whole seconds, rounded up, as Qdrant sends it) for a rate limit.</summary>
    internal static RpcException ToRpcException(Exception e, Status? status = null)
    {
        var trailers = new Metadata();
        if (e is RateLimitedException r)
        {
            trailers.Add("retry-after", Math.Max(1, (long)Math.Ceiling(r.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new RpcException(status ?? Map(e), trailers);
    }

    internal static Status Map(Exception e) => e switch
    {
        ValidationException v => new(StatusCode.InvalidArgument, $"Wrong input: {v.Message}"),
        JsonFormatException j => new(StatusCode.InvalidArgument, j.Message),
        CollectionAlreadyExistsException a => new(StatusCode.AlreadyExists, $"Wrong input: {a.Message}"),
        NotFoundException n => new(StatusCode.NotFound, $"Not found: {n.Message}"),
        AccessDeniedException d => new(StatusCode.PermissionDenied, $"Forbidden: {d.Message}"),
        RateLimitedException r => new(StatusCode.ResourceExhausted, $"Too many requests: {r.Message}"),
        CollectionFaultedException f => new(StatusCode.Unavailable, $"Service unavailable: {f.Message}"),
        GrpcUnsupportedException u => new(StatusCode.Unimplemented, u.Message),
        NotSupportedException n => new(StatusCode.Unimplemented, n.Message),
        System.Text.Json.JsonException j => new(StatusCode.InvalidArgument, $"Wrong input: {j.Message}"),
        ArgumentException a => new(StatusCode.InvalidArgument, $"Wrong input: {a.Message}"),
        _ => new(StatusCode.Internal, $"Service internal error: {e.Message}"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC {Method} failed")]
    private static partial void LogFault(ILogger logger, string method, Exception error);
}
