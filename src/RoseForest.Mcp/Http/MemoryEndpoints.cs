using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RoseForest.Contracts.Qdrant;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// The <c>/memories</c> routes (docs/api.md). Bodies are read strictly (unknown fields are 400);
/// results come in Qdrant's envelope, <c>{"result": ..., "status": "ok", "time": s}</c>; errors go
/// through the app-wide error middleware (400 naming the field, 404 for a memory that does not
/// exist or lies outside the scope the call names).
/// </summary>
internal static class MemoryEndpoints
{
    /// <summary>Where <see cref="MemoryApi.UseRoseForestMemory"/>'s middleware stamps a request's start (for the envelope's time).</summary>
    public static readonly object StartKey = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/memories", async (HttpContext http) =>
        {
            var store = Store(http);
            var request = MemoryJson.ReadAdd(await BodyAsync(http), defaultActor: "rest");
            var events = await store.AddAsync(request, http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteResults(w, events, MemoryJson.WriteEvent));
        });
        app.MapPost("/memories/search", async (HttpContext http) =>
        {
            var hits = await Store(http).SearchAsync(MemoryJson.ReadSearch(await BodyAsync(http)), http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteResults(w, hits, MemoryJson.WriteHit));
        });
        app.MapGet("/memories", async (HttpContext http) =>
        {
            var query = http.Request.Query;
            var page = await Store(http).ListAsync(
                new ListMemoryRequest
                {
                    Scope = Scope(query),
                    Limit = Int(query, "limit", 100),
                    Cursor = query["cursor"].FirstOrDefault(),
                    Kind = query["kind"].FirstOrDefault() is { } kind ? MemoryKinds.Parse(kind) : null,
                    IncludeExpired = query["include_expired"].FirstOrDefault() is { } all && (bool.TryParse(all, out var b) ? b : throw new ValidationException("include_expired", "must be true or false.")),
                },
                http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteResults(w, page.Memories, MemoryJson.WriteRecord, page.NextCursor, withCursor: true));
        });
        app.MapDelete("/memories", async (HttpContext http) =>
        {
            var count = await Store(http).DeleteAllAsync(Scope(http.Request.Query), http.RequestAborted);
            await WriteAsync(http, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("deleted", count);
                w.WriteEndObject();
            });
        });
        app.MapPost("/memories/consolidate", async (HttpContext http) =>
        {
            var body = JsonFields.Object(await BodyAsync(http), string.Empty, "user_id", "agent_id", "run_id", "app_id");
            var report = await Store(http).ConsolidateAsync(MemoryJson.ReadScope(body), http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteReport(w, report));
        });
        app.MapGet("/memories/{id}", async (HttpContext http, string id) =>
        {
            var memory = await Store(http).GetAsync(Id(id), Within(http.Request.Query), http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteRecord(w, memory));
        });
        app.MapPut("/memories/{id}", async (HttpContext http, string id) =>
        {
            var memory = await Store(http).UpdateAsync(MemoryJson.ReadUpdate(Id(id), await BodyAsync(http), defaultActor: "rest"), http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteRecord(w, memory));
        });
        app.MapDelete("/memories/{id}", async (HttpContext http, string id) =>
        {
            var memoryId = Id(id);
            await Store(http).DeleteAsync(memoryId, Within(http.Request.Query), http.RequestAborted);
            await WriteAsync(http, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", memoryId);
                w.WriteBoolean("deleted", true);
                w.WriteEndObject();
            });
        });
        app.MapGet("/memories/{id}/history", async (HttpContext http, string id) =>
        {
            var history = await Store(http).HistoryAsync(Id(id), Within(http.Request.Query), http.RequestAborted);
            await WriteAsync(http, w => MemoryJson.WriteResults(w, history, MemoryJson.WriteVersion));
        });
    }

    private static IMemoryStore Store(HttpContext http) => http.RequestServices.GetRequiredService<IMemoryStore>();

    private static async Task<JsonElement> BodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return JsonFields.ParseBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static MemoryScope Scope(IQueryCollection query) =>
        MemoryScope.Of(query["user_id"].FirstOrDefault(), query["agent_id"].FirstOrDefault(), query["run_id"].FirstOrDefault(), query["app_id"].FirstOrDefault());

    private static MemoryScope? Within(IQueryCollection query) => MemoryJson.Confine(Scope(query), null);

    private static Guid Id(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new ValidationException("memory_id", $"'{text}' is not a memory id (a UUID).");

    private static int Int(IQueryCollection query, string name, int fallback) =>
        query[name].FirstOrDefault() is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new ValidationException(name, $"expected an integer, got '{text}'.");

    private static async Task WriteAsync(HttpContext http, Action<Utf8JsonWriter> result)
    {
        var started = http.Items.TryGetValue(StartKey, out var t) && t is long ticks ? ticks : Stopwatch.GetTimestamp();
        http.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            result(w);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(started).TotalSeconds);
            w.WriteEndObject();
        }

        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }
}
