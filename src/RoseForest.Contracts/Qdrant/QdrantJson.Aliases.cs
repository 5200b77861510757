using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>
    /// Qdrant's ChangeAliasesOperation: <c>{"actions": [{"create_alias": {"collection_name", "alias_name"}},
    /// {"delete_alias": {"alias_name"}}, {"rename_alias": {"old_alias_name", "new_alias_name"}}]}</c>.
    /// </summary>
    public static IReadOnlyList<AliasOperation> ReadAliasOperations(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "actions");
        if (JsonFields.Get(body, "actions") is not { ValueKind: JsonValueKind.Array } actions)
        {
            throw new ValidationException("actions", "is required: an array of create_alias, delete_alias or rename_alias actions.");
        }

        var result = new List<AliasOperation>(actions.GetArrayLength());
        var i = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var field = $"actions[{i++}]";
            JsonFields.Object(action, field, "create_alias", "delete_alias", "rename_alias");
            var names = action.EnumerateObject().Select(p => p.Name).ToList();
            if (names.Count != 1)
            {
                throw new ValidationException(field, "expected exactly one of create_alias, delete_alias or rename_alias.");
            }

            var path = JsonFields.Join(field, names[0]);
            var value = JsonFields.Object(action.GetProperty(names[0]), path, names[0] switch
            {
                "create_alias" => ["collection_name", "alias_name"],
                "delete_alias" => ["alias_name"],
                _ => ["old_alias_name", "new_alias_name"],
            });
            result.Add(names[0] switch
            {
                "create_alias" => new CreateAliasOperation(RequiredString(value, "alias_name", path), RequiredString(value, "collection_name", path)),
                "delete_alias" => new DeleteAliasOperation(RequiredString(value, "alias_name", path)),
                _ => new RenameAliasOperation(RequiredString(value, "old_alias_name", path), RequiredString(value, "new_alias_name", path)),
            });
        }

        return result;
    }

    /// <summary>Writes alias actions as Qdrant's ChangeAliasesOperation.</summary>
    public static void WriteAliasOperations(Utf8JsonWriter w, IReadOnlyList<AliasOperation> actions)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(actions);
        w.WriteStartObject();
        w.WriteStartArray("actions");
        foreach (var action in actions)
        {
            w.WriteStartObject();
            switch (action)
            {
                case CreateAliasOperation c:
                    w.WriteStartObject("create_alias");
                    w.WriteString("collection_name", c.CollectionName);
                    w.WriteString("alias_name", c.AliasName);
                    break;
                case DeleteAliasOperation d:
                    w.WriteStartObject("delete_alias");
                    w.WriteString("alias_name", d.AliasName);
                    break;
                case RenameAliasOperation r:
                    w.WriteStartObject("rename_alias");
                    w.WriteString("old_alias_name", r.OldAliasName);
                    w.WriteString("new_alias_name", r.NewAliasName);
                    break;
                default:
                    throw new ArgumentException($"unknown alias operation {action.GetType().Name}.", nameof(actions));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Qdrant's CollectionsAliasesResponse: <c>{"aliases": [{"alias_name", "collection_name"}]}</c>.</summary>
    public static void WriteAliases(Utf8JsonWriter w, IReadOnlyList<CollectionAlias> aliases)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(aliases);
        w.WriteStartObject();
        w.WriteStartArray("aliases");
        foreach (var a in aliases)
        {
            w.WriteStartObject();
            w.WriteString("alias_name", a.AliasName);
            w.WriteString("collection_name", a.CollectionName);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a CollectionsAliasesResponse's result.</summary>
    public static IReadOnlyList<CollectionAlias> ReadAliases(JsonElement result)
    {
        JsonFields.Object(result, "result", "aliases");
        var aliases = JsonFields.Get(result, "aliases") ?? throw new JsonFormatException("result.aliases is missing.");
        return [.. aliases.EnumerateArray().Select(a => new CollectionAlias(RequiredString(a, "alias_name", "aliases"), RequiredString(a, "collection_name", "aliases")))];
    }

    private static string RequiredString(JsonElement obj, string name, string field) =>
        JsonFields.String(obj, name, field) ?? throw new ValidationException(JsonFields.Join(field, name), "is required.");
}
