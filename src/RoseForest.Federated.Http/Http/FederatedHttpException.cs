namespace RoseForest.Federated.Http.Http;

/// <summary>A request the coordinator refuses, with the HTTP status and a machine-readable code for the error envelope.</summary>
internal sealed class FederatedHttpException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static FederatedHttpException NotFound(string taskId) => new(404, "task_not_found", $"No federated task '{taskId}'.");

    public static FederatedHttpException Conflict(string code, string message) => new(409, code, message);
}
