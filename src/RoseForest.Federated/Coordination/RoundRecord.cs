namespace RoseForest.Federated.Coordination;

/// <summary>
/// One completed round in the task's history: who contributed, the sample-weighted mean loss and
/// accuracy they reported, their total samples, how many attempts the round took, and the DP ε
/// spent so far (null without DP accounting).
/// </summary>
public sealed record RoundRecord(int Round, int Attempts, IReadOnlyList<string> Participants, double Loss, double Accuracy, long Samples, double? Epsilon);
