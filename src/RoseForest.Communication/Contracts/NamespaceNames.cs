using System.Text.RegularExpressions;

namespace RoseForest.Communication.Contracts;

/// <summary>
/// Namespace names: 1-24 characters from lower-case letters, digits and '-', starting with a
/// letter or digit. A namespace owns the collections named <c>&lt;namespace&gt;__&lt;name&gt;</c>
/// (a double underscore, which a namespace name cannot contain), so ownership is read off the name.
/// </summary>
public static partial class NamespaceNames
{
    /// <summary>The longest namespace name.</summary>
    public const int MaxLength = 24;

    /// <summary>The separator between a namespace and a collection's own name.</summary>
    public const string Separator = "__";

    /// <summary>Throws <see cref="ValidationException"/> for an invalid name.</summary>
    public static void Validate(string? name, string field)
    {
        if (name is null || !NameRegex().IsMatch(name))
        {
            throw new ValidationException(field, $"'{name}' is not a namespace name: use 1-{MaxLength} characters from lower-case letters, digits and '-', starting with a letter or digit.");
        }
    }

    /// <summary>True for a valid namespace name.</summary>
    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    /// <summary>The namespace that owns a collection, or null (the collection belongs to the administrator only).</summary>
    public static string? OwnerOfCollection(string collection)
    {
        var split = collection.IndexOf(Separator, StringComparison.Ordinal);
        return split > 0 && IsValid(collection[..split]) ? collection[..split] : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,23}$")]
    private static partial Regex NameRegex();
}
