using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Server.Http;

/// <summary>
/// Turns exceptions into Qdrant-style error responses: bad input is a 4xx with a message that
/// names the field; only a genuine server fault (storage failure, a bug) is a 5xx, and it is logged.
/// </summary>
internal sealed partial class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ApiResponse.MarkStart(context);
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            var (status, message) = Map(e);
            if (status >= 500)
            {
                LogFault(logger, context.Request.Method, context.Request.Path, e);
            }

            await ApiResponse.WriteErrorAsync(context, status, message);
        }
    }

    internal static (int Status, string Message) Map(Exception e) => e switch
    {
        ValidationException v => (StatusCodes.Status400BadRequest, $"Wrong input: {v.Message}"),
        JsonFormatException b => (StatusCodes.Status400BadRequest, b.Message),
        ChangeFeedGapException g => (StatusCodes.Status410Gone, $"Gone: {g.Message}"),
        CollectionAlreadyExistsException a => (StatusCodes.Status400BadRequest, $"Wrong input: {a.Message}"),
        NotFoundException n => (StatusCodes.Status404NotFound, $"Not found: {n.Message}"),
        JsonException j => (StatusCodes.Status400BadRequest, $"Format error in JSON body: {j.Message}"),
        BadHttpRequestException h => (h.StatusCode, $"Bad request: {h.Message}"),
        CollectionFaultedException f => (StatusCodes.Status503ServiceUnavailable, $"Service unavailable: {f.Message}"),
        _ => (StatusCodes.Status500InternalServerError, $"Service internal error: {e.Message}"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, string method, string path, Exception error);
}
