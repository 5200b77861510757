namespace RoseForest.Contracts;

/// <summary>Where the vectors of inputs given by point id come from: another collection and, optionally, its vector name.</summary>
/// <param name="Collection">The collection to read the points from.</param>
/// <param name="Vector">The vector name there (null: the query's <c>using</c>).</param>
public sealed record LookupLocation(string Collection, string? Vector = null);
