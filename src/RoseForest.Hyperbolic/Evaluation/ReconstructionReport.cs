namespace RoseForest.Hyperbolic.Evaluation;

/// <summary>The reconstruction quality of an embedding against its graph.</summary>
/// <param name="MeanRank">Over all edges (u, v): 1 + the number of non-neighbours of u closer to u than v, averaged.</param>
/// <param name="MeanAveragePrecision">The average precision of each node's ranking of all other nodes, averaged over the nodes with out-edges.</param>
/// <param name="Nodes">Nodes ranked (those with at least one out-edge).</param>
/// <param name="Edges">Edges ranked.</param>
/// <param name="Seconds">Time the evaluation took.</param>
internal sealed record ReconstructionReport(double MeanRank, double MeanAveragePrecision, int Nodes, long Edges, double Seconds);
