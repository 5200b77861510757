using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Http.Tasks;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Endpoints;

/// <summary>POST /fl/tasks, GET /fl/tasks, GET /fl/tasks/{id}, its history and its current model.</summary>
internal static class TaskEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/fl/tasks", FlRoute.Wrap(CreateAsync));
        app.MapGet("/fl/tasks", FlRoute.Wrap((c, r, t) => FlResponse.WriteAsync(c, t, w =>
        {
            w.WriteStartArray();
            foreach (var task in r.All)
            {
                WriteSummary(w, task, withSpec: false);
            }

            w.WriteEndArray();
        })));
        app.MapGet("/fl/tasks/{id}", FlRoute.Wrap((c, r, t) => FlResponse.WriteAsync(c, t, w => WriteSummary(w, r.Get(FlRoute.Id(c)), withSpec: true))));
        app.MapGet("/fl/tasks/{id}/history", FlRoute.Wrap((c, r, t) => FlResponse.WriteAsync(c, t, w => WriteHistory(w, r.Get(FlRoute.Id(c))))));
        app.MapGet("/fl/tasks/{id}/model", FlRoute.Wrap(ModelAsync));
    }

    private static async Task CreateAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var (body, payload) = await FlBody.ReadAsync(context);
        var spec = TaskSpec.Read(body, "task-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var model = TensorWire.ReadTensors(WireJson.Required(body, "tensors", string.Empty), "tensors", payload);
        if (model.Tensors.Count == 0 || model.Tensors.Any(x => x.Data.Length == 0) || model.Tensors.Any(x => x.Data.Any(v => !float.IsFinite(v))))
        {
            throw new WireFormatException("tensors", "the model needs at least one non-empty tensor of finite values.");
        }

        var host = registry.Create(spec, model);
        await FlResponse.WriteAsync(context, started, w => WriteSummary(w, host, withSpec: true));
    }

    private static async Task ModelAsync(HttpContext context, FederatedTaskRegistry registry, long started)
    {
        var host = registry.Get(FlRoute.Id(context));
        var (model, round) = (host.Coordinator.Model, host.Coordinator.History.Count);
        void Header(Utf8JsonWriter w) => w.WriteNumber("rounds_completed", round);
        if (FlBody.WantsFrame(context.Request))
        {
            await FlResponse.WriteBytesAsync(context, TensorWire.FrameContentType, TensorWire.EncodeFrame(Header, model));
            return;
        }

        await FlResponse.WriteAsync(context, started, w =>
        {
            w.WriteStartObject();
            Header(w);
            TensorWire.WriteTensors(w, model);
            w.WriteEndObject();
        });
    }

    private static void WriteSummary(Utf8JsonWriter w, FederatedTaskHost task, bool withSpec)
    {
        var coordinator = task.Coordinator;
        var plan = coordinator.CurrentPlan;
        var history = coordinator.History;
        w.WriteStartObject();
        w.WriteString("task_id", task.Spec.Id);
        w.WriteString("status", task.Status);
        w.WriteNumber("round", coordinator.Round);
        w.WriteNumber("rounds", task.Spec.Rounds);
        w.WriteNumber("rounds_completed", history.Count);
        w.WriteString("strategy", task.Spec.Strategy.Name);
        w.WriteNumber("clients", coordinator.AvailableClients.Count);
        if (plan is not null)
        {
            w.WriteStartObject("current");
            w.WriteNumber("round", plan.Round);
            w.WriteNumber("attempt", plan.Attempt);
            SecAggWire.WriteIds(w, "selected", plan.Clients);
            w.WriteNumber("received", coordinator.ReceivedFrom.Count);
            w.WriteString("deadline", plan.Deadline);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("current");
        }

        if (history.Count > 0 && history[^1].Epsilon is { } epsilon)
        {
            w.WriteNumber("epsilon", epsilon);
        }
        else
        {
            w.WriteNull("epsilon");
        }

        w.WriteString("model_hash", coordinator.ModelHash());
        if (withSpec)
        {
            w.WritePropertyName("spec");
            task.Spec.Write(w);
        }

        w.WriteEndObject();
    }

    private static void WriteHistory(Utf8JsonWriter w, FederatedTaskHost task)
    {
        w.WriteStartObject();
        w.WriteStartArray("rounds");
        foreach (var r in task.Coordinator.History)
        {
            w.WriteStartObject();
            w.WriteNumber("round", r.Round);
            w.WriteNumber("attempts", r.Attempts);
            SecAggWire.WriteIds(w, "participants", r.Participants);
            w.WriteNumber("loss", r.Loss);
            w.WriteNumber("accuracy", r.Accuracy);
            w.WriteNumber("sample_count", r.Samples);
            if (r.Epsilon is { } e)
            {
                w.WriteNumber("epsilon", e);
            }
            else
            {
                w.WriteNull("epsilon");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("evaluations");
        foreach (var e in task.Evaluations)
        {
            e.Write(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
