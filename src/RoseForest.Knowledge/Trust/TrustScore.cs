using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Trust;

/// <summary>A package's trust score and the counts it came from.</summary>
/// <param name="Score">new_score, in [0, 1].</param>
/// <param name="Votes">Current votes of registered nodes, unweighted.</param>
/// <param name="EstablishedWeight">Total weight of mature voters.</param>
/// <param name="NewcomerWeight">Total weight of immature voters after the cap.</param>
public sealed record TrustScore(double Score, VoteCounts Votes, double EstablishedWeight, double NewcomerWeight);
