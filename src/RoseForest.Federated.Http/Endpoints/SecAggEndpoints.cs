using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Tasks;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Endpoints;

/// <summary>
/// The secure-aggregation exchange of a round: GET /secagg tells a client the session, the stage
/// and what it needs for it (the roster, the shares routed to it, the unmasking request); the
/// POSTs carry its keys, its encrypted shares, its masked input and its unmasking answer.
/// </summary>
internal static class SecAggEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/fl/tasks/{id}/secagg", FlRoute.Wrap(ViewAsync));
        app.MapPost("/fl/tasks/{id}/secagg/keys", FlRoute.Wrap((c, r, t) => StepAsync(c, r, t, SecureStage.Advertise, (s, body) => s.Keys.Add(ClientId(body), SecAggWire.ReadKeys(body, string.Empty)))));
        app.MapPost("/fl/tasks/{id}/secagg/shares", FlRoute.Wrap((c, r, t) => StepAsync(c, r, t, SecureStage.Share, (s, body) => s.ShareMessages.Add(ClientId(body), SecAggWire.ReadShareKeys(body, string.Empty)))));
        app.MapPost("/fl/tasks/{id}/secagg/masked", FlRoute.Wrap((c, r, t) => StepAsync(c, r, t, SecureStage.Mask, (s, body) =>
        {
            var input = SecAggWire.ReadMasked(body, string.Empty);
            if (input.Values.Length != s.Options.VectorLength)
            {
                throw new WireFormatException("values", $"must hold {s.Options.VectorLength} values, got {input.Values.Length}.");
            }

            s.Server.ReceiveMaskedInput(input);
            s.Masked.Add(input.ClientId);
        })));
        app.MapPost("/fl/tasks/{id}/secagg/unmask", FlRoute.Wrap((c, r, t) => StepAsync(c, r, t, SecureStage.Unmask, (s, body) => s.Responses.Add(ClientId(body), SecAggWire.ReadUnmaskResponse(body, string.Empty)))));
    }

    private static string ClientId(System.Text.Json.JsonElement body) =>
        WireJson.String(body, "client_id", string.Empty) ?? throw new WireFormatException("client_id", "is required.");

    private static async Task StepAsync(HttpContext context, FederatedTaskRegistry registry, long started, SecureStage stage, Action<SecureSession, System.Text.Json.JsonElement> act)
    {
        var host = registry.Get(FlRoute.Id(context));
        var (body, _) = await FlBody.ReadAsync(context);
        if (body.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new WireFormatException(string.Empty, "the body must be a JSON object.");
        }

        var session = (int)(WireJson.Integer(body, "session", string.Empty, 0, int.MaxValue) ?? throw new WireFormatException("session", "is required."));
        host.SecureStep(session, stage, ClientId(body), s => act(s, body));
        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("accepted", true);
            w.WriteEndObject();
        });
    }

    private static async Task ViewAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var clientId = FlBody.Query(context, "client_id");
        if (host.Spec.SecureAggregation is null)
        {
            throw FederatedHttpException.Conflict("secure_aggregation", $"Task '{host.Spec.Id}' does not use secure aggregation.");
        }

        await FlResponse.WriteAsync(context, started, w => host.WriteSecureView(w, clientId));
    }
}
