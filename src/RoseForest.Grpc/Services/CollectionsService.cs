using Grpc.Core;
using RoseForest.Grpc.Mapping;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

/// <summary><c>qdrant.Collections</c> over <see cref="IVectorDatabase"/>: the same calls the REST collection routes make.</summary>
internal sealed class CollectionsService(IVectorDatabase db) : G.Collections.CollectionsBase
{
    public override async Task<G.GetCollectionInfoResponse> Get(G.GetCollectionInfoRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var info = await db.GetCollectionInfoAsync(request.CollectionName, context.CancellationToken);
        return new G.GetCollectionInfoResponse { Result = ProtoCollections.ToInfo(info), Time = t.Seconds };
    }

    public override async Task<G.ListCollectionsResponse> List(G.ListCollectionsRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var response = new G.ListCollectionsResponse();
        foreach (var name in await db.ListCollectionsAsync(context.CancellationToken))
        {
            response.Collections.Add(new G.CollectionDescription { Name = name });
        }

        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.CollectionOperationResponse> Create(G.CreateCollection request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        CollectionOptions.ValidateName(request.CollectionName);
        var options = ProtoCollections.ToOptions(request);
        await db.CreateCollectionAsync(request.CollectionName, options, context.CancellationToken);
        return new G.CollectionOperationResponse { Result = true, Time = t.Seconds };
    }

    public override async Task<G.CollectionOperationResponse> Delete(G.DeleteCollection request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var deleted = await db.DeleteCollectionAsync(request.CollectionName, context.CancellationToken);
        return new G.CollectionOperationResponse { Result = deleted, Time = t.Seconds };
    }

    public override async Task<G.CollectionExistsResponse> CollectionExists(G.CollectionExistsRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var exists = await db.CollectionExistsAsync(request.CollectionName, context.CancellationToken);
        return new G.CollectionExistsResponse { Result = new G.CollectionExists { Exists = exists }, Time = t.Seconds };
    }

    public override async Task<G.ListAliasesResponse> ListAliases(G.ListAliasesRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        return ToResponse(await db.ListAliasesAsync(null, context.CancellationToken), t);
    }

    public override async Task<G.ListAliasesResponse> ListCollectionAliases(G.ListCollectionAliasesRequest request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        return ToResponse(await db.ListAliasesAsync(request.CollectionName, context.CancellationToken), t);
    }

    private static G.ListAliasesResponse ToResponse(IReadOnlyList<CollectionAlias> aliases, Elapsed t)
    {
        var response = new G.ListAliasesResponse();
        foreach (var a in aliases)
        {
            response.Aliases.Add(new G.AliasDescription { AliasName = a.AliasName, CollectionName = a.CollectionName });
        }

        response.Time = t.Seconds;
        return response;
    }

    /// <summary>Qdrant's UpdateCollection, read as REST's PATCH body: the same engine write.</summary>
    public override async Task<G.CollectionOperationResponse> Update(G.UpdateCollection request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var collection = db.GetCollection(request.CollectionName);
        var update = ProtoCollections.ToUpdate(request);
        if (!update.IsEmpty)
        {
            await collection.UpdateCollectionAsync(update, context.CancellationToken);
        }

        return new G.CollectionOperationResponse { Result = true, Time = t.Seconds };
    }

    /// <summary>The same all-or-nothing alias change as REST's <c>POST /collections/aliases</c>.</summary>
    public override async Task<G.CollectionOperationResponse> UpdateAliases(G.ChangeAliases request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var actions = new List<AliasOperation>(request.Actions.Count);
        for (var i = 0; i < request.Actions.Count; i++)
        {
            var a = request.Actions[i];
            actions.Add(a.ActionCase switch
            {
                G.AliasOperations.ActionOneofCase.CreateAlias => new CreateAliasOperation(a.CreateAlias.AliasName, a.CreateAlias.CollectionName),
                G.AliasOperations.ActionOneofCase.DeleteAlias => new DeleteAliasOperation(a.DeleteAlias.AliasName),
                G.AliasOperations.ActionOneofCase.RenameAlias => new RenameAliasOperation(a.RenameAlias.OldAliasName, a.RenameAlias.NewAliasName),
                _ => throw new ValidationException($"actions[{i}]", "expected create_alias, delete_alias or rename_alias."),
            });
        }

        await db.UpdateAliasesAsync(actions, context.CancellationToken);
        return new G.CollectionOperationResponse { Result = true, Time = t.Seconds };
    }

    public override Task<G.CollectionClusterInfoResponse> CollectionClusterInfo(G.CollectionClusterInfoRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("RoseForest runs as a single node; there is no cluster information.");

    public override Task<G.UpdateCollectionClusterSetupResponse> UpdateCollectionClusterSetup(G.UpdateCollectionClusterSetupRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("RoseForest runs as a single node; there is no cluster setup to change.");

    public override Task<G.CreateShardKeyResponse> CreateShardKey(G.CreateShardKeyRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Sharding is not supported by RoseForest.");

    public override Task<G.DeleteShardKeyResponse> DeleteShardKey(G.DeleteShardKeyRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Sharding is not supported by RoseForest.");

    public override Task<G.ListShardKeysResponse> ListShardKeys(G.ListShardKeysRequest request, ServerCallContext context) =>
        throw new GrpcUnsupportedException("Sharding is not supported by RoseForest.");
}
