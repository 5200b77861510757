using Npgsql;

namespace RoseForest.Cluster.Catalog;

/// <summary>
/// Collection aliases in the catalogue (<c>roseforest.aliases</c>, dropped with their collection).
/// A change is one transaction holding the aliases table's SHARE ROW EXCLUSIVE lock, which
/// collection creation takes too, so an alias and a collection of the same name cannot both appear.
/// The rules are the embedded engine's: all actions or none, an alias names an existing
/// collection, an alias may not carry a collection's name.
/// </summary>
internal sealed partial class CatalogStore
{
    private const string LockAliases = "LOCK TABLE roseforest.aliases IN SHARE ROW EXCLUSIVE MODE";

    /// <summary>Applies alias actions all or nothing.</summary>
    public async Task UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockTable = new NpgsqlCommand(LockAliases, connection, tx))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var collections = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT name, id FROM roseforest.collections", connection, tx))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                collections[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var before = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT name, collection_id FROM roseforest.aliases", connection, tx))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                before[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var table = new Dictionary<string, long>(before, StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var field = $"actions[{i}]";
            switch (actions[i])
            {
                case CreateAliasOperation create:
                    ValidateAliasName(collections, create.AliasName, $"{field}.create_alias.alias_name");
                    table[create.AliasName] = collections.TryGetValue(create.CollectionName, out var id) ? id : throw new CollectionNotFoundException(create.CollectionName);
                    break;
                case DeleteAliasOperation delete:
                    table.Remove(delete.AliasName);
                    break;
                case RenameAliasOperation rename:
                    if (!table.Remove(rename.OldAliasName, out var target))
                    {
                        throw new NotFoundException($"Alias {rename.OldAliasName} does not exists!");
                    }

                    ValidateAliasName(collections, rename.NewAliasName, $"{field}.rename_alias.new_alias_name");
                    table[rename.NewAliasName] = target;
                    break;
                case null:
                    throw new ValidationException(field, "an alias action is required.");
                default:
                    throw new ValidationException(field, $"unknown alias action {actions[i].GetType().Name}.");
            }
        }

        string[] removed = [.. before.Keys.Where(k => !table.TryGetValue(k, out var v) || v != before[k])];
        var upserted = table.Where(a => !before.TryGetValue(a.Key, out var v) || v != a.Value).ToList();
        await using (var delete = new NpgsqlCommand("DELETE FROM roseforest.aliases WHERE name = ANY($1)", connection, tx) { Parameters = { new() { Value = removed } } })
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO roseforest.aliases (name, collection_id) SELECT * FROM unnest($1::text[], $2::bigint[])", connection, tx)
        {
            Parameters = { new() { Value = upserted.Select(a => a.Key).ToArray() }, new() { Value = upserted.Select(a => a.Value).ToArray() } },
        })
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await NotifyAsync(connection, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses a collection named like an alias (inside the creating transaction, under the aliases lock).</summary>
    private static async Task ThrowIfAliasAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, CancellationToken cancellationToken)
    {
        await using (var lockTable = new NpgsqlCommand(LockAliases, connection, tx))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM roseforest.aliases WHERE name = $1", connection, tx) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new ValidationException("collection_name", $"Can't create collection with name {name}. Alias with the same name already exists");
        }
    }

    private static void ValidateAliasName(Dictionary<string, long> collections, string alias, string field)
    {
        try
        {
            CollectionOptions.ValidateName(alias);
        }
        catch (ValidationException e)
        {
            throw new ValidationException(field, e.Message.Replace("collection name", "alias name", StringComparison.Ordinal));
        }

        if (collections.ContainsKey(alias))
        {
            throw new CollectionAlreadyExistsException(alias);
        }
    }
}
