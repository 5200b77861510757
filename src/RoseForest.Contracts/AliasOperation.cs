namespace RoseForest.Contracts;

/// <summary>
/// One change to the collection aliases (Qdrant's <c>POST /collections/aliases</c> actions). A list of
/// them is applied all or nothing: every action is checked against the state the earlier ones
/// leave, and only then is the new alias table written.
/// </summary>
public abstract record AliasOperation;

/// <summary>Makes <see cref="AliasName"/> another name of the collection <see cref="CollectionName"/> (replacing what it named before).</summary>
public sealed record CreateAliasOperation(string AliasName, string CollectionName) : AliasOperation;

/// <summary>Removes an alias; nothing happens when there is none of that name.</summary>
public sealed record DeleteAliasOperation(string AliasName) : AliasOperation;

/// <summary>Gives an existing alias a new name (the alias must exist).</summary>
public sealed record RenameAliasOperation(string OldAliasName, string NewAliasName) : AliasOperation;

/// <summary>An alias and the collection it names.</summary>
public sealed record CollectionAlias(string AliasName, string CollectionName);
