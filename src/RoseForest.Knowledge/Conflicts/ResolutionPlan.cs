using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Conflicts;

/// <summary>The state transition a resolution makes: versions to drop and, for a merge, a new version superseding all.</summary>
/// <param name="RemovedVersionIds">Version ids whose writes are removed.</param>
/// <param name="NewVersion">The merged package written over every surviving version, or null.</param>
public sealed record ResolutionPlan(IReadOnlySet<string> RemovedVersionIds, KnowledgePackage? NewVersion);
