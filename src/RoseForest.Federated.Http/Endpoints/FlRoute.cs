using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Tasks;

namespace RoseForest.Federated.Http.Endpoints;

/// <summary>Every /fl handler runs inside this: the key check, then the handler, with the core's exceptions turned into 4xx answers.</summary>
internal static partial class FlRoute
{
    public static RequestDelegate Wrap(Func<HttpContext, FederatedTaskRegistry, long, Task> handler) => async context =>
    {
        var started = Stopwatch.GetTimestamp();
        if (context.RequestServices.GetRequiredService<FlAuth>().Check(context.Request) is { } denied)
        {
            await FlResponse.WriteErrorAsync(context, started, denied.Status, denied.Status == 401 ? "unauthorized" : "forbidden", denied.Message);
            return;
        }

        try
        {
            await handler(context, context.RequestServices.GetRequiredService<FederatedTaskRegistry>(), started);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
#pragma warning disable CA1031 // the error boundary of the /fl routes
        catch (Exception e)
#pragma warning restore CA1031
        {
            var (status, code, message) = FlErrors.Map(e);
            if (status >= 500)
            {
                LogFault(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RoseForest.Federated.Http"), context.Request.Method, context.Request.Path, e);
            }

            await FlResponse.WriteErrorAsync(context, started, status, code, message);
        }
    };

    public static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, string method, string path, Exception error);
}
