using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Storage.IO;

namespace RoseForest.Engine;

/// <summary>
/// Collection aliases: other names of collections, kept in <c>&lt;data&gt;/aliases.json</c> (written
/// atomically and fsynced, so a crash leaves the old table or the new one). Readers see an
/// immutable table swapped in whole, so a request never sees half of an alias change.
/// </summary>
public sealed partial class RoseForestDatabase
{
    private const string AliasesFile = "aliases.json";
    private FrozenDictionary<string, string> _aliases = FrozenDictionary<string, string>.Empty;

    /// <summary>The collection a name stands for: the target of an alias of that name, else the name itself.</summary>
    public string ResolveName(string name) => Volatile.Read(ref _aliases).TryGetValue(name, out var target) ? target : name;

    /// <summary>Every alias sorted by name, or only those of one collection.</summary>
    public IReadOnlyList<CollectionAlias> ListAliases(string? collectionName = null)
    {
        ThrowIfDisposed();
        if (collectionName is not null && !CollectionExists(collectionName))
        {
            throw new CollectionNotFoundException(collectionName);
        }

        var target = collectionName is null ? null : ResolveName(collectionName);
        return [.. Volatile.Read(ref _aliases)
            .Where(a => target is null || a.Value == target)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new CollectionAlias(a.Key, a.Value))];
    }

    /// <summary>
    /// Applies alias changes all or nothing (Qdrant applies them one by one and keeps the ones
    /// before a failure; here a failing action changes nothing). See
    /// <see cref="IVectorDatabase.UpdateAliasesAsync"/>.
    /// </summary>
    public async Task UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(actions);
        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var table = new Dictionary<string, string>(_aliases, StringComparer.Ordinal);
            for (var i = 0; i < actions.Count; i++)
            {
                var field = $"actions[{i}]";
                switch (actions[i])
                {
                    case CreateAliasOperation create:
                        ValidateAliasName(create.AliasName, $"{field}.create_alias.alias_name");
                        if (!_collections.ContainsKey(create.CollectionName) && !_faulted.ContainsKey(create.CollectionName))
                        {
                            throw new CollectionNotFoundException(create.CollectionName);
                        }

                        table[create.AliasName] = create.CollectionName;
                        break;
                    case DeleteAliasOperation delete:
                        table.Remove(delete.AliasName);
                        break;
                    case RenameAliasOperation rename:
                        if (!table.Remove(rename.OldAliasName, out var target))
                        {
                            throw new NotFoundException($"Alias {rename.OldAliasName} does not exists!");
                        }

                        ValidateAliasName(rename.NewAliasName, $"{field}.rename_alias.new_alias_name");
                        table[rename.NewAliasName] = target;
                        break;
                    case null:
                        throw new ValidationException(field, "an alias action is required.");
                    default:
                        throw new ValidationException(field, $"unknown alias action {actions[i].GetType().Name}.");
                }
            }

            SaveAliases(table);
            Volatile.Write(ref _aliases, table.ToFrozenDictionary(StringComparer.Ordinal));
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <summary>An alias must be a valid collection name and not name an existing collection (which it would hide).</summary>
    private void ValidateAliasName(string alias, string field)
    {
        try
        {
            CollectionOptions.ValidateName(alias);
        }
        catch (ValidationException e)
        {
            throw new ValidationException(field, e.Message.Replace("collection name", "alias name", StringComparison.Ordinal));
        }

        if (_collections.ContainsKey(alias) || _faulted.ContainsKey(alias))
        {
            throw new CollectionAlreadyExistsException(alias);
        }
    }

    /// <summary>Refuses a collection named like an alias (called under the catalogue gate).</summary>
    private void ThrowIfAlias(string name)
    {
        if (_aliases.ContainsKey(name))
        {
            throw new ValidationException("collection_name", $"Can't create collection with name {name}. Alias with the same name already exists");
        }
    }

    /// <summary>Drops the aliases of a deleted collection (called under the catalogue gate).</summary>
    private void RemoveAliasesOf(string collection)
    {
        if (!_aliases.Values.Contains(collection))
        {
            return;
        }

        var table = _aliases.Where(a => a.Value != collection).ToDictionary(StringComparer.Ordinal);
        SaveAliases(table);
        Volatile.Write(ref _aliases, table.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private void SaveAliases(Dictionary<string, string> table)
    {
        if (_root is null)
        {
            return;
        }

        var sorted = new SortedDictionary<string, string>(table, StringComparer.Ordinal);
        DurableFile.WriteAllBytesAtomic(Path.Combine(_root, AliasesFile), JsonSerializer.SerializeToUtf8Bytes(sorted));
    }

    /// <summary>
    /// Reads the alias table at open. The file is written atomically, so damage means the disk
    /// failed: the file is moved aside (never deleted), logged, and the database opens without
    /// aliases rather than not at all.
    /// </summary>
    private void LoadAliases()
    {
        var path = Path.Combine(_root!, AliasesFile);
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            var table = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(path))
                ?? throw new JsonException("the alias table is null.");
            _aliases = table.ToFrozenDictionary(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            var aside = $"{path}.damaged-{Guid.NewGuid():N}";
            File.Move(path, aside);
            LogAliasesDamaged(_log, aside, e.Message, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alias table could not be read and was moved to {Path}; the database opens without aliases: {Reason}")]
    private static partial void LogAliasesDamaged(ILogger logger, string path, string reason, Exception error);

    Task IVectorDatabase.UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken) =>
        UpdateAliasesAsync(actions, cancellationToken);

    Task<IReadOnlyList<CollectionAlias>> IVectorDatabase.ListAliasesAsync(string? collectionName, CancellationToken cancellationToken) =>
        Task.FromResult(ListAliases(collectionName));
}
