using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>POST …/points/search/matrix/pairs, …/matrix/offsets and …/facet. Each route: parse → call → write.</summary>
internal static class ExploreEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/search/matrix/pairs", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadSearchMatrix(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var matrix = await collection.SearchMatrixAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteMatrixPairs(w, matrix));
        });

        app.MapPost("/collections/{name}/points/search/matrix/offsets", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadSearchMatrix(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var matrix = await collection.SearchMatrixAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteMatrixOffsets(w, matrix));
        });

        app.MapPost("/collections/{name}/facet", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadFacet(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var hits = await collection.FacetAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteFacetResponse(w, hits));
        });
    }
}
