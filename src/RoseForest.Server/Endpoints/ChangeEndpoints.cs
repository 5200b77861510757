using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>
/// RoseForest's change feed over HTTP: a long poll of committed writes, and follower pins.
/// <c>GET /collections/{name}/changes?from_lsn=&amp;limit=&amp;wait_ms=</c> answers a batch (410 when
/// the log no longer holds from_lsn: resync from a snapshot);
/// <c>PUT /collections/{name}/changes/followers/{follower}</c> <c>{"next_lsn"}</c> registers or
/// moves a pin; <c>DELETE</c> removes it.
/// </summary>
internal static class ChangeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/collections/{name}/changes", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var from = HttpBodies.QueryLong(context, "from_lsn", 1);
            var limit = HttpBodies.QueryLong(context, "limit", 1000);
            var waitMs = HttpBodies.QueryLong(context, "wait_ms", 0);
            if (limit is < 1 or > 100_000)
            {
                throw new ValidationException("limit", $"must be between 1 and 100000, got {limit}.");
            }

            if (waitMs is < 0 or > 300_000)
            {
                throw new ValidationException("wait_ms", $"must be between 0 and 300000, got {waitMs}.");
            }

            var batch = await db.Changes.ReadAsync(name, from, (int)limit, TimeSpan.FromMilliseconds(waitMs), context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteChangeBatch(w, batch));
        });

        app.MapPut("/collections/{name}/changes/followers/{follower}", static async (HttpContext context, string name, string follower, IVectorDatabase db) =>
        {
            var body = JsonFields.Object(await HttpBodies.ReadAsync(context), string.Empty, "next_lsn");
            var next = JsonFields.Get(body, "next_lsn") is { } n && n.TryGetInt64(out var lsn) ? lsn : throw new ValidationException("next_lsn", "is required: an integer.");
            await db.Changes.RegisterFollowerAsync(name, follower, next, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, true);
        });

        app.MapDelete("/collections/{name}/changes/followers/{follower}", static async (HttpContext context, string name, string follower, IVectorDatabase db) =>
            await ApiResponse.WriteResultAsync(context, await db.Changes.RemoveFollowerAsync(name, follower, context.RequestAborted)));
    }
}
