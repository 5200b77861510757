using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Tasks;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Endpoints;

/// <summary>A client's routes: join, ask what to do (with the round's model and configuration), submit an update or an evaluation.</summary>
internal static class RoundEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/fl/tasks/{id}/join", FlRoute.Wrap(JoinAsync));
        app.MapGet("/fl/tasks/{id}/round", FlRoute.Wrap(RoundAsync));
        app.MapPost("/fl/tasks/{id}/updates", FlRoute.Wrap(UpdateAsync));
        app.MapPost("/fl/tasks/{id}/evaluations", FlRoute.Wrap(EvaluationAsync));
    }

    private static async Task JoinAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var (body, _) = await FlBody.ReadAsync(context);
        WireJson.RequireObject(body, string.Empty, "client_id");
        var clientId = WireJson.String(body, "client_id", string.Empty) ?? throw new WireFormatException("client_id", "is required.");
        host.Join(clientId);
        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            w.WriteString("client_id", clientId);
            w.WriteString("status", host.Status);
            w.WriteEndObject();
        });
    }

    private static async Task RoundAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var instruction = host.Next(FlBody.Query(context, "client_id"));
        void Members(Utf8JsonWriter w) => WriteInstruction(w, host, instruction);
        if (instruction.CarriesModel && FlBody.WantsFrame(context.Request))
        {
            await FlResponse.WriteBytesAsync(context, TensorWire.FrameContentType, TensorWire.EncodeFrame(Members, instruction.Model!));
            return;
        }

        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            Members(w);
            if (instruction.Model is { } model)
            {
                TensorWire.WriteTensors(w, model);
            }

            w.WriteEndObject();
        });
    }

    private static async Task UpdateAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var (body, payload) = await FlBody.ReadAsync(context);
        var update = UpdateWire.Read(body, payload);
        var (closed, hash) = host.Submit(update);
        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("accepted", true);
            w.WriteBoolean("round_closed", closed);
            w.WriteString("hash", hash);
            w.WriteEndObject();
        });
    }

    private static async Task EvaluationAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var (body, _) = await FlBody.ReadAsync(context);
        WireJson.RequireObject(body, string.Empty, "client_id", "round", "loss", "accuracy", "sample_count");
        var closed = host.SubmitEvaluation(
            WireJson.String(body, "client_id", string.Empty) ?? throw new WireFormatException("client_id", "is required."),
            (int)(WireJson.Integer(body, "round", string.Empty, 1, int.MaxValue) ?? throw new WireFormatException("round", "is required.")),
            WireJson.Number(body, "loss", string.Empty) ?? throw new WireFormatException("loss", "is required."),
            WireJson.Number(body, "accuracy", string.Empty) ?? 0,
            WireJson.Integer(body, "sample_count", string.Empty) ?? throw new WireFormatException("sample_count", "is required."));
        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("accepted", true);
            w.WriteBoolean("round_closed", closed);
            w.WriteEndObject();
        });
    }

    private static void WriteInstruction(Utf8JsonWriter w, FederatedTaskHost host, Instruction i)
    {
        w.WriteString("action", i.Action);
        w.WriteNumber("round", i.Round);
        w.WriteNumber("attempt", i.Attempt);
        if (i.Deadline is { } deadline)
        {
            w.WriteString("deadline", deadline);
        }

        if (i.Reason is { } reason)
        {
            w.WriteString("reason", reason);
        }

        if (i.Config is { } config)
        {
            w.WriteStartObject("config");
            foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(key, value);
            }

            w.WriteEndObject();
        }

        if (i.Action == "fit" && host.Spec.SecureAggregation is { } secure)
        {
            w.WritePropertyName("secure_aggregation");
            secure.Write(w);
        }
    }
}
