using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>Collection aliases: resolution everywhere a collection is named, all-or-nothing changes, durability.</summary>
public class AliasTests
{
    private static readonly CollectionOptions Options = new() { Dimension = 2, Geometry = Geometry.Euclid };

    [Fact]
    public async Task An_alias_names_its_collection_in_every_call_and_survives_a_restart()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var v1 = await db.CreateCollectionAsync("docs_v1", Options);
            await db.CreateCollectionAsync("docs_v2", Options);
            await v1.UpsertAsync([new PointStruct(1, [1, 0])]);
            await db.UpdateAliasesAsync([new CreateAliasOperation("docs", "docs_v1")]);

            Assert.Same(v1, db.GetCollection("docs"));
            Assert.True(db.CollectionExists("docs"));
            Assert.Equal(1, db.GetCollectionInfo("docs").PointsCount);
            Assert.Equal([new CollectionAlias("docs", "docs_v1")], db.ListAliases());
            Assert.Equal([new CollectionAlias("docs", "docs_v1")], db.ListAliases("docs_v1"));
            Assert.Empty(db.ListAliases("docs_v2"));

            // Snapshots made through the alias belong to the collection.
            var snapshot = await db.Snapshots.CreateAsync("docs");
            Assert.StartsWith("docs_v1-", snapshot.Name, StringComparison.Ordinal);
            Assert.Contains(await db.Snapshots.ListAsync("docs_v1"), s => s.Name == snapshot.Name);

            // Switching an alias is one atomic change: delete and create in one call.
            await db.UpdateAliasesAsync([new DeleteAliasOperation("docs"), new CreateAliasOperation("docs", "docs_v2")]);
            Assert.Equal(0, db.GetCollectionInfo("docs").PointsCount);
            await db.UpdateAliasesAsync([new RenameAliasOperation("docs", "current")]);
            Assert.False(db.CollectionExists("docs"));
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            Assert.Equal([new CollectionAlias("current", "docs_v2")], db.ListAliases());
            Assert.Equal("docs_v2", db.GetCollectionInfo("current").Name);
            Assert.True(await db.DeleteCollectionAsync("docs_v2"));
            Assert.Empty(db.ListAliases());
            Assert.False(db.CollectionExists("current"));
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            Assert.Empty(db.ListAliases());
        }
    }

    [Fact]
    public async Task A_failing_action_changes_no_alias()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await db.CreateCollectionAsync("a", Options);
        await db.CreateCollectionAsync("b", Options);
        await db.UpdateAliasesAsync([new CreateAliasOperation("x", "a")]);

        await Assert.ThrowsAsync<CollectionNotFoundException>(() => db.UpdateAliasesAsync([new CreateAliasOperation("y", "a"), new CreateAliasOperation("z", "missing")]));
        await Assert.ThrowsAsync<NotFoundException>(() => db.UpdateAliasesAsync([new DeleteAliasOperation("x"), new RenameAliasOperation("nope", "n")]));
        await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => db.UpdateAliasesAsync([new CreateAliasOperation("b", "a")]));
        await Assert.ThrowsAsync<CollectionAlreadyExistsException>(() => db.UpdateAliasesAsync([new RenameAliasOperation("x", "b")]));
        var bad = await Assert.ThrowsAsync<ValidationException>(() => db.UpdateAliasesAsync([new CreateAliasOperation("bad name!", "a")]));
        Assert.Equal("actions[0].create_alias.alias_name", bad.Field);

        Assert.Equal([new CollectionAlias("x", "a")], db.ListAliases());
        Assert.Throws<CollectionNotFoundException>(() => db.ListAliases("missing"));

        // Deleting an alias that does not exist is not an error (Qdrant's delete_alias).
        await db.UpdateAliasesAsync([new DeleteAliasOperation("never")]);
    }

    [Fact]
    public async Task A_collection_cannot_be_created_under_an_alias_name()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await db.CreateCollectionAsync("a", Options);
        await db.UpdateAliasesAsync([new CreateAliasOperation("x", "a")]);
        var e = await Assert.ThrowsAsync<ValidationException>(() => db.CreateCollectionAsync("x", Options));
        Assert.Contains("Alias with the same name already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], db.ListCollections());
    }

    [Fact]
    public async Task A_damaged_alias_table_is_moved_aside_and_the_database_still_opens()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await db.CreateCollectionAsync("a", Options);
            await c.UpsertAsync([new PointStruct(1, [1, 1])]);
            await db.UpdateAliasesAsync([new CreateAliasOperation("x", "a")]);
        }

        await File.WriteAllTextAsync(Path.Combine(tmp.Path, "aliases.json"), "{\"x\": ");
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            Assert.Empty(db.ListAliases());
            Assert.Equal(1, db.GetCollectionInfo("a").PointsCount);
            var aside = Assert.Single(Directory.GetFiles(tmp.Path, "aliases.json.damaged-*"));
            Assert.Equal("{\"x\": ", await File.ReadAllTextAsync(aside));
        }
    }
}
