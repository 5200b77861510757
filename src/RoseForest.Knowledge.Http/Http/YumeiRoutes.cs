using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Http.KnowledgeNode;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Http.Http;

/// <summary>
/// The YumeiCHAIN routes exactly as its client calls them (docs/api.md, "YumeiCHAIN"), plus
/// <c>GET /knowledge/search</c> and <c>DELETE /knowledge/{id}</c>. Answers are unwrapped.
/// </summary>
internal sealed class YumeiRoutes(KnowledgeRuntime runtime)
{
    private KnowledgeNode.KnowledgeNode Node => runtime.Node;

    private KnowledgeAuth Auth => runtime.Auth;

    private RateLimiter Limiter => runtime.Limiter;

    private KnowledgeOptions Options => runtime.Options;

    private ILogger Logger => runtime.Logger;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/register", context => Run(context, write: true, openToAnonymous: true, route: async caller =>
        {
            var nodeId = context.Request.Query["node_id"].ToString();
            var publicKey = context.Request.Query["public_key"].ToString();
            var registration = await Node.RegisterAsync(nodeId, publicKey, caller, openRegistration: !Auth.ServerIsLocked, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "success");
                w.WriteString("message", registration.Message);
                w.WriteString("node_id", nodeId);
                w.WriteString("signing", registration.Keyed ? "ed25519" : "none");
                if (registration.ApiKey is not null)
                {
                    w.WriteString("api_key", registration.ApiKey);
                }

                w.WriteEndObject();
            });
        }));

        app.MapPost("/knowledge", context => Run(context, write: true, async caller =>
        {
            var answer = await Node.PublishAsync(await ReadPackageAsync(context), caller, updateId: null, context.RequestAborted);
            await WritePublishAsync(context, answer, "Knowledge published");
        }));

        app.MapPut("/knowledge/{id}", (HttpContext context, string id) => Run(context, write: true, async caller =>
        {
            var answer = await Node.PublishAsync(await ReadPackageAsync(context), caller, updateId: id, context.RequestAborted);
            await WritePublishAsync(context, answer, "Knowledge updated");
        }));

        app.MapGet("/knowledge", context => Run(context, write: false, async _ =>
        {
            var results = await Node.QueryAsync(ReadQuery(context.Request.Query), context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", results.Count);
                w.WriteStartArray("results");
                foreach (var r in results)
                {
                    w.WriteRawValue(KnowledgeJson.Serialize(r.Package), skipInputValidation: true);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }));

        app.MapGet("/knowledge/search", context => Run(context, write: false, async _ =>
        {
            var q = context.Request.Query["q"].ToString();
            if (string.IsNullOrWhiteSpace(q))
            {
                throw new KnowledgeValidationException("q", "is required: the text to search for");
            }

            var trustWeight = Number(context.Request.Query, "trust_weight", 0.2, 0, 1);
            var hits = await Node.SearchAsync(q, ReadQuery(context.Request.Query), trustWeight, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", hits.Count);
                w.WriteStartArray("results");
                foreach (var (hit, similarity, rank) in hits)
                {
                    w.WriteStartObject();
                    w.WriteString("knowledge_id", hit.Package.KnowledgeId);
                    w.WriteNumber("score", rank);
                    w.WriteNumber("similarity", similarity);
                    w.WriteNumber("trust_score", hit.Score);
                    w.WritePropertyName("package");
                    w.WriteRawValue(KnowledgeJson.Serialize(hit.Package), skipInputValidation: true);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }));

        app.MapGet("/knowledge/{id}", (HttpContext context, string id) => Run(context, write: false, async _ =>
        {
            var package = await Node.GetAsync(id, context.RequestAborted) ?? throw new KnowledgeHttpException(404, $"Not found: knowledge {id} does not exist.");
            await Answers.JsonAsync(context, 200, w => w.WriteRawValue(KnowledgeJson.Serialize(package), skipInputValidation: true));
        }));

        app.MapDelete("/knowledge/{id}", (HttpContext context, string id) => Run(context, write: true, async caller =>
        {
            await Node.DeleteAsync(id, caller, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "success");
                w.WriteString("message", "Knowledge deleted");
                w.WriteString("knowledge_id", id);
                w.WriteEndObject();
            });
        }));

        app.MapPost("/knowledge/{id}/evaluate", (HttpContext context, string id) => Run(context, write: true, async caller =>
        {
            using var doc = await ReadBodyAsync(context);
            var evaluation = Deserialize<KnowledgeEvaluation>(doc.RootElement);
            string? signature = doc.RootElement.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            long? signedAt = doc.RootElement.TryGetProperty("signed_at", out var t) && t.TryGetInt64(out var ms) ? ms : null;
            var answer = await Node.EvaluateAsync(id, evaluation, signature, signedAt, caller, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "success");
                w.WriteString("message", "Knowledge evaluated");
                w.WriteString("knowledge_id", answer.KnowledgeId);
                w.WriteNumber("new_score", answer.NewScore);
                w.WriteStartObject("votes");
                w.WriteNumber("upvotes", answer.Votes.Upvotes);
                w.WriteNumber("downvotes", answer.Votes.Downvotes);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }));

        app.MapPost("/conflict/{id}/resolve", (HttpContext context, string id) => Run(context, write: true, async caller =>
        {
            using var doc = await ReadBodyAsync(context);
            var resolution = Deserialize<ConflictResolution>(doc.RootElement);
            var plan = await Node.ResolveAsync(id, resolution, caller, context.RequestAborted);
            await Answers.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "success");
                w.WriteString("message", "Conflict resolved");
                w.WriteString("knowledge_id", id);
                w.WriteString("resolution_type", resolution.ResolutionType);
                w.WriteStartArray("removed_versions");
                foreach (var v in plan.RemovedVersionIds.Order(StringComparer.Ordinal))
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                if (plan.NewVersion?.VersionId is { } merged)
                {
                    w.WriteString("version_id", merged);
                }

                w.WriteEndObject();
            });
        }));
    }

    /// <summary>Identifies the caller, applies the rate limit, requires a key for reads on a locked server, and maps errors.</summary>
    private Task Run(HttpContext context, bool write, Func<Caller, Task> route, bool openToAnonymous = false) => Answers.GuardAsync(context, Logger, async () =>
    {
        var caller = await Auth.IdentifyAsync(context);
        if (Limiter.TryAcquire(caller.Partition) is { } retryAfter)
        {
            throw new KnowledgeHttpException(429, $"Too many requests: at most {Options.RequestsPerMinute} a minute; retry in {retryAfter} s.", retryAfter);
        }

        // Who may call at all is settled before the body is read, so a caller without a key learns nothing from validation.
        if (caller.Kind is CallerKind.Anonymous or CallerKind.Invalid && (Auth.ServerIsLocked || (write && !openToAnonymous) || caller.Kind == CallerKind.Invalid))
        {
            throw new KnowledgeHttpException(401, caller.Kind == CallerKind.Anonymous
                ? "Authorization is required: the node's API key (as the YumeiCHAIN client sends it) or the server's key."
                : "The API key in Authorization is not known to this server.");
        }

        await route(caller);
    });

    private static async Task WritePublishAsync(HttpContext context, PublishResponse answer, string message)
        => await Answers.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "success");
            w.WriteString("message", message);
            w.WriteString("knowledge_id", answer.KnowledgeId);
            w.WriteString("version_id", answer.VersionId);
            if (answer.Conflicts is { } conflicts)
            {
                w.WriteStartArray("conflicts");
                foreach (var c in conflicts)
                {
                    w.WriteStringValue(c);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });

    private static async Task<KnowledgePackage> ReadPackageAsync(HttpContext context)
    {
        using var doc = await ReadBodyAsync(context);
        return Deserialize<KnowledgePackage>(doc.RootElement);
    }

    internal static async Task<JsonDocument> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new KnowledgeValidationException("$", $"malformed JSON: {e.Message}", e);
        }
    }

    private static T Deserialize<T>(JsonElement element)
        where T : class
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new KnowledgeValidationException("$", "the body must be a JSON object");
        }

        try
        {
            return element.Deserialize<T>(KnowledgeJson.Options) ?? throw new KnowledgeValidationException("$", "the body is null");
        }
        catch (JsonException e)
        {
            throw new KnowledgeValidationException(e.Path ?? "$", e.Message, e);
        }
    }

    private KnowledgeQuery ReadQuery(IQueryCollection query)
    {
        string? Text(string name) => query[name].ToString() is { Length: > 0 } v ? v : null;
        var limitValue = Number(query, "limit", 10, 1, Options.MaxResults);
        if (limitValue != Math.Floor(limitValue))
        {
            throw new KnowledgeValidationException("limit", "must be a whole number");
        }

        var limit = (int)limitValue;

        return new KnowledgeQuery
        {
            Domain = Text("domain"),
            Type = Text("type") ?? Text("type_"),
            Tags = Text("tags") is { } tags ? [.. tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [],
            AiNode = Text("ai_node"),
            MinConfidence = Number(query, "min_confidence", 0, 0, 1),
            MinScore = Number(query, "min_score", 0, 0, 1),
            Limit = limit,
        };
    }

    private static double Number(IQueryCollection query, string name, double fallback, double min, double max)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new KnowledgeValidationException(name, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
    }
}
