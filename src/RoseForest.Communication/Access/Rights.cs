namespace RoseForest.Communication.Access;

/// <summary>Rights on a namespace; grants add them, revokes remove them.</summary>
[Flags]
public enum Rights
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Read its collections, spaces and the states of its models.</summary>
    Read = 1,

    /// <summary>Write its collections, contribute to its spaces, send to its models' mailboxes.</summary>
    Write = 2,

    /// <summary>Grant, revoke, set its policy and visibility, create its spaces.</summary>
    Admin = 4,
}

/// <summary>Who may see a namespace from outside.</summary>
public enum Visibility
{
    /// <summary>Only its members and the models granted a right.</summary>
    Private,

    /// <summary>Also readable by a model whose contract lists it in <c>read_namespaces</c>.</summary>
    Shared,

    /// <summary>Readable by every registered model.</summary>
    Public,
}

/// <summary>The isolation policy between a namespace and the namespaces of models outside it.</summary>
public enum IsolationPolicy
{
    /// <summary>No cross-namespace access at all, grants notwithstanding.</summary>
    Strict,

    /// <summary>Cross-namespace reads only (the default).</summary>
    Shared,

    /// <summary>Cross-namespace reads and writes, as grants and visibility allow.</summary>
    Federated,
}

/// <summary>The wire names of the access enums.</summary>
public static class AccessNames
{
    /// <summary>Parses a visibility name.</summary>
    public static Visibility ParseVisibility(string? text, string field) => text switch
    {
        "private" => Visibility.Private,
        "shared" => Visibility.Shared,
        "public" => Visibility.Public,
        _ => throw new ValidationException(field, $"must be private, shared or public; got \"{text}\"."),
    };

    /// <summary>Parses a policy name.</summary>
    public static IsolationPolicy ParsePolicy(string? text, string field) => text switch
    {
        "strict" => IsolationPolicy.Strict,
        "shared" => IsolationPolicy.Shared,
        "federated" => IsolationPolicy.Federated,
        _ => throw new ValidationException(field, $"must be strict, shared or federated; got \"{text}\"."),
    };

    /// <summary>Parses one right.</summary>
    public static Rights ParseRight(string? text, string field) => text switch
    {
        "read" => Rights.Read,
        "write" => Rights.Write,
        "admin" => Rights.Admin,
        _ => throw new ValidationException(field, $"must be read, write or admin; got \"{text}\"."),
    };

    /// <summary>The wire name of a visibility.</summary>
    public static string Name(Visibility v) => v switch { Visibility.Private => "private", Visibility.Shared => "shared", _ => "public" };

    /// <summary>The wire name of a policy.</summary>
    public static string Name(IsolationPolicy p) => p switch { IsolationPolicy.Strict => "strict", IsolationPolicy.Shared => "shared", _ => "federated" };

    /// <summary>The wire names of a set of rights.</summary>
    public static IReadOnlyList<string> Names(Rights r)
    {
        var list = new List<string>();
        if (r.HasFlag(Rights.Read))
        {
            list.Add("read");
        }

        if (r.HasFlag(Rights.Write))
        {
            list.Add("write");
        }

        if (r.HasFlag(Rights.Admin))
        {
            list.Add("admin");
        }

        return list;
    }
}
