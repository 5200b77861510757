namespace RoseForest.Contracts;

/// <summary>A collection's adapter settings and its adapters.</summary>
/// <param name="Options">The settings.</param>
/// <param name="Adapters">One per (vector name, tenant) that has had feedback.</param>
public sealed record AdapterInfo(AdapterOptions Options, IReadOnlyList<AdapterStateInfo> Adapters);

/// <summary>One adapter.</summary>
/// <param name="Using">The named vector ("" for the unnamed one).</param>
/// <param name="Tenant">The tenant ("" for the collection's own adapter).</param>
/// <param name="Dimension">d.</param>
/// <param name="Rank">r.</param>
/// <param name="Updates">Feedback updates so far.</param>
/// <param name="Version">The version the current weights descend from.</param>
/// <param name="ReplaySize">Examples in the replay buffer.</param>
/// <param name="Versions">The versions kept, oldest first.</param>
public sealed record AdapterStateInfo(string Using, string Tenant, int Dimension, int Rank, long Updates, int Version, int ReplaySize, IReadOnlyList<AdapterVersionInfo> Versions);

/// <summary>A saved version of an adapter.</summary>
/// <param name="Version">Its number (0: the identity it started as).</param>
/// <param name="Created">When it was made.</param>
/// <param name="Updates">The adapter's update count at that time.</param>
/// <param name="Reason">What made it: created, consolidate, auto, rollback.</param>
public sealed record AdapterVersionInfo(int Version, DateTimeOffset Created, long Updates, string Reason);
